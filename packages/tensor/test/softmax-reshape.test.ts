// The optional softmax and reshape capabilities: their validators and the reference kernels.
import { describe, expect, it } from 'vitest';
import { DTypeError, isHostTensor, reshapeGeometry, ShapeError, softmaxGeometry, tensor, ValueError, type Tensor } from '../src/index.js';
import { createReferenceBackend, referenceSoftmax } from '../src/reference/index.js';

const backend = createReferenceBackend();

function hostData(t: Tensor): Float32Array {
  if (!isHostTensor(t)) throw new Error('the reference backend returns host tensors');
  return t.data;
}

function softmax(x: Tensor): Float32Array {
  if (backend.softmax === undefined) throw new Error('the reference backend must declare softmax');
  const y = backend.softmax(x);
  expect(y.shape).toEqual(x.shape);
  return hostData(y);
}

describe('softmaxGeometry', () => {
  it('splits the shape into rows over the last axis', () => {
    expect(softmaxGeometry(tensor(new Array(12).fill(0), [2, 1, 2, 3]))).toEqual({ shape: [2, 1, 2, 3], rows: 4, rowLength: 3 });
    expect(softmaxGeometry(tensor([1], [1]))).toEqual({ shape: [1], rows: 1, rowLength: 1 });
  });

  it('names softmax and x for a scalar, an empty last axis or a bad tensor', () => {
    expect(() => softmaxGeometry(tensor([1], []))).toThrow(ShapeError);
    expect(() => softmaxGeometry(tensor([1], []))).toThrow('softmax: x must have rank >= 1');
    expect(() => softmaxGeometry(tensor([], [2, 0]))).toThrow('softmax: x must have a last dimension >= 1, got [2, 0]');
    const int: unknown = { shape: [2], dtype: 'int32', size: 2, location: 'host', isDisposed: false, dispose() {} };
    expect(() => softmaxGeometry(int as Tensor)).toThrow(DTypeError);
    const gone = tensor([1, 2], [2]);
    gone.dispose();
    expect(() => softmaxGeometry(gone)).toThrow(ValueError);
    expect(() => softmaxGeometry(gone)).toThrow('softmax: x has been disposed');
  });
});

describe('reference softmax', () => {
  it('normalises each row to probabilities that sum to 1', () => {
    const y = softmax(tensor([1, 2, 3, 0, 0, 0], [2, 3]));
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const s = e[0]! + e[1]! + e[2]!;
    expect(Array.from(y.subarray(0, 3))).toEqual(e.map((v) => Math.fround(v / s)));
    expect(Array.from(y.subarray(3))).toEqual([1 / 3, 1 / 3, 1 / 3].map(Math.fround));
  });

  it('gives 1 for a row of length 1 and stays finite for logits that overflow a naive exp', () => {
    expect(Array.from(softmax(tensor([-7], [1, 1])))).toEqual([1]);
    const y = softmax(tensor([1000, 1000, 999], [3]));
    expect(y.every(Number.isFinite)).toBe(true);
    expect(y[0]).toBeCloseTo(y[1]!, 7);
    expect(y[0]! + y[1]! + y[2]!).toBeCloseTo(1, 6);
  });

  it('makes a row with a NaN entirely NaN and leaves other rows alone', () => {
    const y = new Float32Array(6);
    referenceSoftmax(new Float32Array([0, NaN, 1, 2, 2, 2]), softmaxGeometry(tensor(new Array(6).fill(0), [2, 3])), y);
    expect(Array.from(y.subarray(0, 3)).every(Number.isNaN)).toBe(true);
    expect(Array.from(y.subarray(3))).toEqual([1 / 3, 1 / 3, 1 / 3].map(Math.fround));
  });

  it('follows the non-finite contract: NaN or +Infinity in a row → all NaN, −Infinity → 0, all −Infinity → NaN', () => {
    const rows = [
      [Infinity, 0, 0],
      [Infinity, -Infinity, 1],
      [Infinity, Infinity, Infinity],
      [-Infinity, 0, 0],
      [-Infinity, 5, -Infinity],
      [-Infinity, -Infinity, -Infinity],
      [NaN, -Infinity, Infinity],
    ];
    const y = new Float32Array(rows.length * 3);
    referenceSoftmax(new Float32Array(rows.flat()), { shape: [rows.length, 3], rows: rows.length, rowLength: 3 }, y);
    const row = (r: number) => Array.from(y.subarray(r * 3, r * 3 + 3));
    for (const r of [0, 1, 2, 5, 6]) expect(row(r).every(Number.isNaN), `row ${r}`).toBe(true);
    expect(row(3)).toEqual([0, 0.5, 0.5]);
    expect(row(4)).toEqual([0, 1, 0]);
  });
});

describe('reshapeGeometry and the reference reshape', () => {
  it('keeps the elements and their order under the new shape', () => {
    expect(reshapeGeometry(tensor(new Array(10).fill(0), [1, 1, 1, 10]), [1, 10])).toEqual({ shape: [1, 10], size: 10 });
    if (backend.reshape === undefined) throw new Error('the reference backend must declare reshape');
    const x = tensor(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    const y = backend.reshape(x, [24]);
    expect(y.shape).toEqual([24]);
    expect(Array.from(hostData(y))).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('returns a tensor disposed independently of its input', () => {
    if (backend.reshape === undefined) throw new Error('the reference backend must declare reshape');
    const x = tensor([1, 2, 3, 4], [2, 2]);
    const y = backend.reshape(x, [4]);
    x.dispose();
    expect(y.isDisposed).toBe(false);
    expect(Array.from(hostData(y))).toEqual([1, 2, 3, 4]);
  });

  it('names reshape and shape for a different element count or a malformed shape', () => {
    const x = tensor(new Array(6).fill(0), [2, 3]);
    expect(() => reshapeGeometry(x, [5])).toThrow(ShapeError);
    expect(() => reshapeGeometry(x, [5])).toThrow('reshape: shape [5] holds 5 elements but x [2, 3] holds 6');
    expect(() => reshapeGeometry(x, [-1, 6])).toThrow(ShapeError);
    expect(() => reshapeGeometry(x, [2.5, 2])).toThrow('reshape: shape must hold non-negative integers');
    try {
      reshapeGeometry(x, [7]);
    } catch (error) {
      expect(error).toMatchObject({ op: 'reshape', argument: 'shape' });
    }
    expect.assertions(5);
  });
});
