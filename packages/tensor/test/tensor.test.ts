import { describe, expect, it } from 'vitest';
import { DTypeError, HostTensor, MAX_ELEMENTS, Random, randomNormal, randomUniform, ShapeError, tensor, zeros } from '../src/index.js';

describe('tensor()', () => {
  it('wraps a Float32Array without copying and copies a number[]', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const t = tensor(data, [1, 2, 3]);
    expect(t.data).toBe(data);
    expect(t.shape).toEqual([1, 2, 3]);
    expect([t.size, t.dtype, t.location]).toEqual([6, 'float32', 'host']);
    const fromArray = tensor([1, 2], [2]);
    expect(fromArray.data).toBeInstanceOf(Float32Array);
    expect(Array.from(fromArray.data)).toEqual([1, 2]);
  });

  it('freezes its shape so a caller cannot change it behind a kernel', () => {
    const shape = [2, 2];
    const t = tensor([1, 2, 3, 4], shape);
    shape[0] = 4;
    expect(t.shape).toEqual([2, 2]);
    expect(Object.isFrozen(t.shape)).toBe(true);
  });

  it('rejects malformed shapes and mismatched data with typed errors', () => {
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/tensor: data length 3 does not match shape \[2, 2\] \(4 elements\)/);
    expect(() => tensor([], [2, -1])).toThrow(ShapeError);
    expect(() => tensor([], [Number.NaN])).toThrow(ShapeError);
    expect(() => tensor(new Float32Array(0), [MAX_ELEMENTS + 1])).toThrow(/2\^31/);
    expect(() => tensor(new Float64Array(2) as unknown as Float32Array, [2])).toThrow(DTypeError);
  });

  it('dispose marks the tensor disposed', () => {
    const t = zeros([2]);
    expect(t.isDisposed).toBe(false);
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(t).toBeInstanceOf(HostTensor);
  });
});

describe('Random', () => {
  it('is reproducible from its seed and differs between seeds', () => {
    const a = randomUniform([100], 42);
    expect(randomUniform([100], 42).data).toEqual(a.data);
    expect(randomUniform([100], 43).data).not.toEqual(a.data);
  });

  it('uniform stays in range with a mean near the middle; normal has mean ≈ 0 and std ≈ 1', () => {
    const u = randomUniform([20000], 1, -2, 2).data;
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(2);
    expect(Math.abs(u.reduce((s, v) => s + v, 0) / u.length)).toBeLessThan(0.05);
    const n = randomNormal([20000], 2).data;
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    const std = Math.sqrt(n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(std - 1)).toBeLessThan(0.03);
  });

  it('int() covers both ends inclusively', () => {
    const random = new Random(5);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(random.int(1, 3));
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });
});
