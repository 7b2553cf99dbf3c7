// concat and pad: their validators and reference kernels on hand-computed cases.
import { describe, expect, it } from 'vitest';
import { concatGeometry, padGeometry, ShapeError, tensor, ValueError, type ExplicitPadding, type Tensor } from '../src/index.js';
import { createReferenceBackend } from '../src/reference/index.js';

const backend = createReferenceBackend();

async function values(y: Tensor): Promise<number[]> {
  return Array.from(await backend.read(y));
}

function concat(xs: readonly Tensor[], axis?: number): Tensor {
  if (backend.concat === undefined) throw new Error('the reference backend must declare concat');
  return backend.concat(xs, axis === undefined ? undefined : { axis });
}

describe('concatGeometry', () => {
  it('joins along the last axis by default and describes the blocks', () => {
    const g = concatGeometry([tensor(new Array(12).fill(0), [1, 2, 2, 3]), tensor(new Array(4).fill(0), [1, 2, 2, 1])]);
    expect(g).toEqual({ shape: [1, 2, 2, 4], size: 16, axis: 3, outer: 4, innerSizes: [3, 1], outInner: 4 });
    expect(concatGeometry([tensor([1, 2], [1, 2]), tensor([3, 4, 5, 6], [2, 2])], { axis: -2 })).toMatchObject({
      shape: [3, 2],
      axis: 0,
      outer: 1,
      innerSizes: [2, 4],
    });
  });

  it('names xs[i] for a mismatched shape, options.axis out of range, xs when empty', () => {
    const a = tensor(new Array(6).fill(0), [1, 2, 3]);
    expect(() => concatGeometry([a, tensor(new Array(6).fill(0), [1, 3, 2])])).toThrow(
      'concat: xs[1] [1, 3, 2] must match xs[0] [1, 2, 3] on every axis but 2',
    );
    expect(() => concatGeometry([a, tensor(new Array(6).fill(0), [6])])).toThrow(ShapeError);
    expect(() => concatGeometry([a], { axis: 3 })).toThrow('concat: options.axis must be an integer in [-3, 2] for rank 3 inputs, got 3');
    expect(() => concatGeometry([a], { axis: 0.5 })).toThrow(ValueError);
    expect(() => concatGeometry([])).toThrow('concat: xs must be a non-empty array of tensors, got []');
    expect(() => concatGeometry([tensor([1], [])])).toThrow('concat: xs[0] must have rank >= 1');
    const hole: unknown = [a, null];
    expect(() => concatGeometry(hole as Tensor[])).toThrow('concat: xs[1] must be a Tensor, got null');
  });
});

describe('reference concat', () => {
  it('interleaves channel blocks per pixel', async () => {
    const a = tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    const b = tensor([10, 20], [1, 1, 2, 1]);
    const y = concat([a, b]);
    expect(y.shape).toEqual([1, 1, 2, 3]);
    expect(await values(y)).toEqual([1, 2, 10, 3, 4, 20]);
  });

  it('joins along an inner axis (height) and takes one input', async () => {
    const y = concat([tensor([1, 2, 3, 4], [2, 1, 1, 2]), tensor([5, 6, 7, 8], [2, 1, 1, 2])], 1);
    expect(y.shape).toEqual([2, 2, 1, 2]);
    expect(await values(y)).toEqual([1, 2, 5, 6, 3, 4, 7, 8]);
    expect(await values(concat([tensor([1, 2], [2])]))).toEqual([1, 2]);
  });
});

describe('padGeometry', () => {
  it('adds the sides to height and width', () => {
    expect(padGeometry(tensor(new Array(6).fill(0), [1, 2, 3, 1]), { top: 1, bottom: 0, left: 2, right: 1 }, { value: -1 })).toEqual({
      batch: 1,
      inHeight: 2,
      inWidth: 3,
      channels: 1,
      padTop: 1,
      padBottom: 0,
      padLeft: 2,
      padRight: 1,
      outHeight: 3,
      outWidth: 6,
      shape: [1, 3, 6, 1],
      size: 18,
      value: -1,
    });
  });

  it('names padding, options.value and x', () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const negative = { top: -1, bottom: 0, left: 0, right: 0 };
    expect(() => padGeometry(x, negative)).toThrow('pad: padding.top must be a non-negative integer, got -1');
    const missing: unknown = { top: 1, bottom: 1 };
    expect(() => padGeometry(x, missing as ExplicitPadding)).toThrow('pad: padding.left must be a non-negative integer, got undefined');
    const same: unknown = 'same';
    expect(() => padGeometry(x, same as ExplicitPadding)).toThrow(ValueError);
    const text: unknown = '0';
    expect(() => padGeometry(x, { top: 0, bottom: 0, left: 0, right: 0 }, { value: text as number })).toThrow(
      "pad: options.value must be a number, got '0'",
    );
    expect(() => padGeometry(tensor([1, 2], [1, 2]), { top: 0, bottom: 0, left: 0, right: 0 })).toThrow('pad: x must be rank 4');
  });
});

describe('reference pad', () => {
  it('fills the border with the value, asymmetric sides included', async () => {
    if (backend.pad === undefined) throw new Error('the reference backend must declare pad');
    const y = backend.pad(tensor([1, 2, 3, 4], [1, 2, 2, 1]), { top: 1, bottom: 0, left: 0, right: 2 }, { value: 9 });
    expect(y.shape).toEqual([1, 3, 4, 1]);
    expect(await values(y)).toEqual([9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9]);
    const zeros = backend.pad(tensor([1, 2, 3, 4], [2, 1, 1, 2]), { top: 0, bottom: 1, left: 1, right: 0 });
    expect(zeros.shape).toEqual([2, 2, 2, 2]);
    expect(await values(zeros)).toEqual([0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 3, 4, 0, 0, 0, 0]);
  });
});
