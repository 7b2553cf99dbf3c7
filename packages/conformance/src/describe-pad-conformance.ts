import { ShapeError, tensor, ValueError, type Backend, type ExplicitPadding } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { expectTypedRejection, readAndDispose } from './backend-test-helpers.js';
import { capabilityOf, describeCapability, expectMatchesReference } from './describe-capability.js';
import { padCaseInput, padCases } from './pad-cases.js';

function padTests(getBackend: () => Backend): void {
  const pad = (backend: Backend) => capabilityOf(backend, 'pad');
  for (const c of padCases) {
    it(c.name, async () => {
      const x = padCaseInput(c);
      const run = (backend: Backend) => pad(backend)(x, c.padding, c.value === undefined ? undefined : { value: c.value });
      await expectMatchesReference(getBackend(), { run, inputs: [x], tolerance: 0 }, c.name);
    });
  }

  it('pad: copies NaN and fills with NaN when asked', async () => {
    const x = tensor([Number.NaN, Infinity, -1, 2], [1, 2, 2, 1]);
    const run = (backend: Backend) => pad(backend)(x, { top: 1, bottom: 0, left: 0, right: 1 }, { value: Number.NaN });
    await expectMatchesReference(getBackend(), { run, inputs: [x], tolerance: 0 }, 'special');
  });

  it('pad: an empty batch gives an empty result', async () => {
    const y = pad(getBackend())(tensor([], [0, 2, 2, 3]), { top: 1, bottom: 1, left: 1, right: 1 });
    expect([...y.shape]).toEqual([0, 4, 4, 3]);
    expect((await readAndDispose(getBackend(), y)).length).toBe(0);
  });

  describe('bad input is rejected with a typed error naming op and argument', () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    it('pad: a negative side', () =>
      expectTypedRejection(() => pad(getBackend())(x, { top: -1, bottom: 0, left: 0, right: 0 }), ValueError, 'pad', 'padding'));
    it('pad: a missing side', () => {
      const partial: unknown = { top: 1, bottom: 1 };
      expectTypedRejection(() => pad(getBackend())(x, partial as ExplicitPadding), ValueError, 'pad', 'padding');
    });
    it('pad: x that is not NHWC', () =>
      expectTypedRejection(() => pad(getBackend())(tensor([1, 2], [1, 2]), { top: 1, bottom: 1, left: 1, right: 1 }), ShapeError, 'pad', 'x'));
  });
}

/**
 * The conformance tests of the optional `pad` capability, which only moves values: compared
 * with the reference bit for bit (NaN matching NaN).
 */
export function describePadConformance(createBackend: () => Backend | Promise<Backend>, getBackend: () => Backend): void {
  describeCapability('pad', createBackend, () => padTests(getBackend));
}
