import { describe, expect, it } from 'vitest';
import { conv2dGeometry, selectVariant, UnsupportedError, zeros, type Conv2dGeometry, type KernelVariant } from '../src/index.js';

type TestVariant = KernelVariant & { readonly isa: 'simd' | 'js' };

const is3x3 = (g: Conv2dGeometry): boolean => g.kernelHeight === 3 && g.kernelWidth === 3;
const variants: readonly TestVariant[] = [
  { name: 'conv-3x3-simd', op: 'conv2d', isa: 'simd', supports: is3x3 },
  { name: 'conv-any-simd', op: 'conv2d', isa: 'simd', supports: () => true },
  { name: 'conv-3x3-js', op: 'conv2d', isa: 'js', supports: is3x3 },
  { name: 'conv-any-js', op: 'conv2d', isa: 'js', supports: () => true },
  { name: 'pw-any-simd', op: 'pointwiseConv2d', isa: 'simd', supports: () => true },
];
const g3x3 = conv2dGeometry(zeros([1, 5, 5, 2]), zeros([3, 3, 2, 4]));
const g5x5 = conv2dGeometry(zeros([1, 5, 5, 2]), zeros([5, 5, 2, 4]));

describe('selectVariant', () => {
  it('takes the first variant in list order that runs the op, passes `where` and supports the geometry', () => {
    expect(selectVariant(variants, 'conv2d', g3x3).name).toBe('conv-3x3-simd');
    expect(selectVariant(variants, 'conv2d', g5x5).name).toBe('conv-any-simd');
    expect(selectVariant(variants, 'conv2d', g3x3, { where: (v) => v.isa === 'js' }).name).toBe('conv-3x3-js');
  });

  it('prefers the forced variant (by row or name) where it supports the call, else dispatches normally', () => {
    expect(selectVariant(variants, 'conv2d', g3x3, { forced: 'conv-any-js', where: (v) => v.isa === 'simd' }).name).toBe('conv-any-js');
    expect(selectVariant(variants, 'conv2d', g5x5, { forced: variants[2] }).name).toBe('conv-any-simd');
    expect(selectVariant(variants, 'conv2d', g3x3, { forced: 'pw-any-simd' }).name).toBe('conv-3x3-simd');
  });

  it('throws an UnsupportedError naming the op when nothing supports the geometry', () => {
    const only3x3 = variants.filter((v) => v.supports === is3x3);
    expect(() => selectVariant(only3x3, 'conv2d', g5x5, { label: 'simd' })).toThrow(UnsupportedError);
    expect(() => selectVariant(only3x3, 'conv2d', g5x5, { label: 'simd' })).toThrow(/^conv2d: no simd kernel variant supports this geometry/);
    expect(() => selectVariant(variants, 'separableConv2d', { depthwise: g3x3, pointwise: g3x3 })).toThrow(UnsupportedError);
  });
});
