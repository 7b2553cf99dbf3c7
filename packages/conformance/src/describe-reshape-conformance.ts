import { ShapeError, tensor, type Backend, type Tensor } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';

/** The title of the one skipped test a backend without the capability gets. */
export const RESHAPE_NOT_DECLARED = 'reshape: not run, backend does not declare the optional reshape capability';

function callReshape(backend: Backend, x: Tensor, shape: readonly number[]): Tensor {
  if (typeof backend.reshape !== 'function') throw new Error(`${backend.name} declared reshape when probed but has none now`);
  return backend.reshape(x, shape);
}

const goodCases: { from: number[]; to: number[] }[] = [
  { from: [1, 1, 1, 10], to: [1, 10] },
  { from: [2, 3, 4], to: [24] },
  { from: [3, 1, 1, 1001], to: [3, 1001] },
  { from: [6], to: [1, 2, 3] },
];

const badCases: { name: string; from: number[]; to: unknown }[] = [
  { name: 'another element count', from: [2, 3], to: [5] },
  { name: 'a negative dimension', from: [2, 3], to: [-1, 6] },
  { name: 'a fractional dimension', from: [2, 3], to: [1.5, 4] },
  { name: 'not an array', from: [2, 3], to: 6 },
];

function iota(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i * 0.5 - 3);
}

function reshapeTests(getBackend: () => Backend): void {
  for (const c of goodCases) {
    it(`reshape [${c.from.join(', ')}] -> [${c.to.join(', ')}] keeps elements and order`, async () => {
      const n = c.from.reduce((a, b) => a * b, 1);
      const x = tensor(iota(n), c.from);
      const y = callReshape(getBackend(), x, c.to);
      expect([...y.shape]).toEqual(c.to);
      expect(Array.from(await getBackend().read(y))).toEqual(iota(n));
      y.dispose();
    });
  }

  it("reshape: the result and its input are disposed independently (the backend's own output)", async () => {
    const backend = getBackend();
    const x = backend.pointwiseConv2d(tensor(iota(6), [1, 1, 2, 3]), tensor([1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3]));
    const y = callReshape(backend, x, [6]);
    const z = callReshape(backend, y, [2, 3]);
    y.dispose();
    expect(Array.from(await backend.read(x))).toEqual(iota(6));
    x.dispose();
    expect(Array.from(await backend.read(z))).toEqual(iota(6));
    z.dispose();
  });

  for (const bad of badCases) {
    it(`reshape: ${bad.name} is rejected with a ShapeError naming reshape and shape`, () => {
      let thrown: unknown;
      try {
        callReshape(getBackend(), tensor(iota(6), bad.from), bad.to as number[]);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ShapeError);
      expect(thrown).toMatchObject({ op: 'reshape', argument: 'shape' });
    });
  }
}

/**
 * The conformance tests of the optional `Backend.reshape` capability (same elements, same
 * order, new shape, independent disposal). Probed like add: with `reshape` the tests run on
 * `getBackend()`; without it one skipped test says why.
 */
export function describeReshapeConformance(createBackend: () => Backend | Promise<Backend>, getBackend: () => Backend): void {
  describe('optional capability: reshape', async () => {
    let declared: boolean;
    try {
      const probe = await createBackend();
      declared = typeof probe.reshape === 'function';
      probe.dispose();
    } catch (error) {
      it('reshape: the backend could not be created to probe its capabilities', () => {
        throw error;
      });
      return;
    }
    if (declared) reshapeTests(getBackend);
    else it.skip(RESHAPE_NOT_DECLARED, () => {});
  });
}
