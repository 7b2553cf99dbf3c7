import { ShapeError, tensor, ValueError, type Backend } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { expectTypedRejection, readAndDispose } from './backend-test-helpers.js';
import { concatCaseInputs, concatCases } from './concat-cases.js';
import { capabilityOf, describeCapability, expectMatchesReference } from './describe-capability.js';

function concatTests(getBackend: () => Backend): void {
  const concat = (backend: Backend) => capabilityOf(backend, 'concat');
  for (const c of concatCases) {
    it(c.name, async () => {
      const xs = concatCaseInputs(c);
      const run = (backend: Backend) => concat(backend)(xs, c.axis === undefined ? undefined : { axis: c.axis });
      await expectMatchesReference(getBackend(), { run, inputs: xs, tolerance: 0 }, c.name);
    });
  }

  it('concat: copies NaN and ±Infinity unchanged', async () => {
    const a = tensor([Number.NaN, Infinity], [1, 1, 1, 2]);
    const b = tensor([-Infinity], [1, 1, 1, 1]);
    await expectMatchesReference(getBackend(), { run: (backend) => concat(backend)([a, b]), inputs: [a, b], tolerance: 0 }, 'special');
  });

  it('concat: an empty batch gives an empty result', async () => {
    const y = concat(getBackend())([tensor([], [0, 2, 2, 3]), tensor([], [0, 2, 2, 1])]);
    expect([...y.shape]).toEqual([0, 2, 2, 4]);
    expect((await readAndDispose(getBackend(), y)).length).toBe(0);
  });

  it("concat: joins the backend's own output with a host tensor", async () => {
    const x = tensor(
      Array.from({ length: 3 * 3 * 4 }, (_, i) => i - 10),
      [1, 3, 3, 4],
    );
    const weights = tensor(
      Array.from({ length: 4 * 5 }, (_, i) => (i % 3) - 1),
      [4, 5],
    );
    const run = (backend: Backend) => {
      const projected = backend.pointwiseConv2d(x, weights);
      const y = concat(backend)([x, projected, x]);
      projected.dispose();
      return y;
    };
    // Small integers: the pointwise sums are exact in any order, so the whole chain is exact.
    await expectMatchesReference(getBackend(), { run, inputs: [x, weights], tolerance: 0 }, 'chain');
  });

  describe('bad input is rejected with a typed error naming op and argument', () => {
    it('concat: another height', () =>
      expectTypedRejection(() => concat(getBackend())([tensor([1, 2], [1, 1, 1, 2]), tensor([1, 2], [1, 2, 1, 1])]), ShapeError, 'concat', 'xs[1]'));
    it('concat: another rank', () =>
      expectTypedRejection(() => concat(getBackend())([tensor([1, 2], [1, 1, 1, 2]), tensor([1], [1])]), ShapeError, 'concat', 'xs[1]'));
    it('concat: an axis outside the rank', () =>
      expectTypedRejection(() => concat(getBackend())([tensor([1, 2], [1, 1, 1, 2])], { axis: 4 }), ValueError, 'concat', 'options.axis'));
    it('concat: no inputs', () => expectTypedRejection(() => concat(getBackend())([]), ValueError, 'concat', 'xs'));
  });
}

/**
 * The conformance tests of the optional `concat` capability, which only moves values: compared
 * with the reference bit for bit (NaN matching NaN).
 */
export function describeConcatConformance(createBackend: () => Backend | Promise<Backend>, getBackend: () => Backend): void {
  describeCapability('concat', createBackend, () => concatTests(getBackend));
}
