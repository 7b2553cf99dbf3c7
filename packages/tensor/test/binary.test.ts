// Element-wise sub/mul/div/add with broadcasting: the validator's geometry and errors, and the
// reference kernel on hand-computed cases.
import { describe, expect, it } from 'vitest';
import { binaryGeometry, DTypeError, ShapeError, tensor, ValueError, type Activation, type BinaryOp, type Tensor } from '../src/index.js';
import { createReferenceBackend, referenceBinary } from '../src/reference/index.js';

const backend = createReferenceBackend();

async function run(op: BinaryOp, a: Tensor, b: Tensor, activation?: Activation): Promise<{ shape: readonly number[]; values: number[] }> {
  const method = backend[op];
  if (method === undefined) throw new Error(`the reference backend must declare ${op}`);
  const y = method(a, b, { activation });
  return { shape: y.shape, values: Array.from(await backend.read(y)) };
}

describe('binaryGeometry', () => {
  it('broadcasts right-aligned, with stride 0 on broadcast and missing axes', () => {
    const g = binaryGeometry('mul', tensor(new Array(2 * 3 * 4).fill(0), [2, 1, 3, 4]), tensor([0, 0, 0, 0], [4]));
    expect(g).toMatchObject({ op: 'mul', shape: [2, 1, 3, 4], size: 24, aStrides: [12, 0, 4, 1], bStrides: [0, 0, 0, 1] });
    // SE's [N, 1, 1, C] against [N, H, W, C], in either order.
    const se = binaryGeometry('mul', tensor(new Array(2 * 3).fill(0), [2, 1, 1, 3]), tensor(new Array(2 * 5 * 7 * 3).fill(0), [2, 5, 7, 3]));
    expect(se).toMatchObject({ shape: [2, 5, 7, 3], aStrides: [3, 0, 0, 1], bStrides: [105, 21, 3, 1] });
    expect(binaryGeometry('sub', tensor([1], []), tensor([1, 2], [1, 2]))).toMatchObject({ shape: [1, 2], aStrides: [0, 0], bStrides: [0, 1] });
    expect(Object.isFrozen(g) && Object.isFrozen(g.shape) && Object.isFrozen(g.aStrides)).toBe(true);
  });

  it('broadcasts an empty axis against 1 and keeps it empty', () => {
    expect(binaryGeometry('add', tensor([], [0, 2, 2, 3]), tensor([1, 2, 3], [3]))).toMatchObject({ shape: [0, 2, 2, 3], size: 0 });
  });

  it('names the op and b when shapes do not broadcast, and the op and the argument for other bad input', () => {
    expect(() => binaryGeometry('div', tensor([1, 2, 3], [3]), tensor([1, 2], [2]))).toThrow(
      'div: a [3] and b [2] do not broadcast: axis -1 has 3 and 2 (right-aligned dimensions must be equal or 1)',
    );
    expect(() => binaryGeometry('sub', tensor([], [0]), tensor([1, 2], [2]))).toThrow(ShapeError);
    const int: unknown = { shape: [1], dtype: 'int32', size: 1, location: 'host', isDisposed: false, dispose() {} };
    expect(() => binaryGeometry('mul', int as Tensor, tensor([1], [1]))).toThrow(DTypeError);
    expect(() => binaryGeometry('mul', int as Tensor, tensor([1], [1]))).toThrow("mul: a must be float32, got 'int32'");
    const gelu: unknown = 'gelu';
    expect(() => binaryGeometry('sub', tensor([1], [1]), tensor([1], [1]), { activation: gelu as Activation })).toThrow(ValueError);
    const notTensor: unknown = [1, 2];
    expect(() => binaryGeometry('div', tensor([1], [1]), notTensor as Tensor)).toThrow('div: b must be a Tensor, got object');
  });
});

describe('reference binary ops', () => {
  it('subtracts a per-channel vector and a scalar ([1] and [])', async () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]);
    expect(await run('sub', x, tensor([1, 2, 3], [3]))).toEqual({ shape: [1, 1, 2, 3], values: [0, 0, 0, 3, 3, 3] });
    expect(await run('sub', x, tensor([1, 2, 3], [1, 1, 1, 3]))).toEqual({ shape: [1, 1, 2, 3], values: [0, 0, 0, 3, 3, 3] });
    expect(await run('mul', x, tensor([2], [1]))).toEqual({ shape: [1, 1, 2, 3], values: [2, 4, 6, 8, 10, 12] });
    expect(await run('div', tensor([10], []), x)).toEqual({ shape: [1, 1, 2, 3], values: [10, 5, 10 / 3, 2.5, 2, 10 / 6].map(Math.fround) });
  });

  it("multiplies SE's [N, 1, 1, C] channel scale into [N, H, W, C] per image", async () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 1, 2]);
    const scale = tensor([10, 100, -1, 0.5], [2, 1, 1, 2]);
    expect(await run('mul', scale, x)).toEqual({ shape: [2, 2, 1, 2], values: [10, 200, 30, 400, -5, 3, -7, 4] });
  });

  it('broadcasts both operands into a larger shape ([2, 1] with [1, 3])', async () => {
    expect(await run('add', tensor([10, 20], [2, 1]), tensor([1, 2, 3], [1, 3]))).toEqual({ shape: [2, 3], values: [11, 12, 13, 21, 22, 23] });
  });

  it('rounds to float32, then applies the activation', async () => {
    expect(await run('sub', tensor([1, 10, -1], [3]), tensor([4, 1, 2], [3]), 'relu6')).toEqual({ shape: [3], values: [0, 6, 0] });
    const { values } = await run('mul', tensor([0, 1], [2]), tensor([3], [1]), 'sigmoid');
    expect(values[0]).toBe(0.5);
    expect(values[1]).toBe(Math.fround(1 / (1 + Math.exp(-3))));
  });

  it('divides by zero as IEEE does and propagates NaN', () => {
    const a = new Float32Array([1, -1, 0, Number.NaN, Infinity]);
    const b = new Float32Array([0, 0, 0, 1, Infinity]);
    const g = binaryGeometry('div', tensor(a, [5]), tensor(b, [5]));
    expect(Array.from(referenceBinary(a, b, g))).toEqual([Infinity, -Infinity, Number.NaN, Number.NaN, Number.NaN]);
  });

  it('writes into a given output array', () => {
    const out = new Float32Array(3);
    const g = binaryGeometry('sub', tensor([5, 6, 7], [3]), tensor([1], []));
    expect(referenceBinary(new Float32Array([5, 6, 7]), new Float32Array([1]), g, out)).toBe(out);
    expect(Array.from(out)).toEqual([4, 5, 6]);
  });
});
