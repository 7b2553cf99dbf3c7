// Forcing int8 variants: int8CasesFor picks the cases of a variant's op whose geometry it supports.
import type { Conv2dGeometry, SeparableConv2dGeometry } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { int8CaseGeometry, int8CasesFor, int8ConvCases, int8ConvInputs, type Int8KernelVariant } from '../src/index.js';

describe('int8CasesFor', () => {
  it("gives a variant its op's cases whose geometry it supports, with the geometry its kernel sees", () => {
    const stride2: Int8KernelVariant = {
      name: 'dwconv2d-test-s2',
      op: 'depthwiseConv2d',
      supports: (g: Conv2dGeometry) => g.strideHeight === 2 && g.strideWidth === 2,
    };
    const cases = int8CasesFor(stride2);
    expect(cases.length).toBeGreaterThan(5);
    for (const c of cases) {
      expect(c.op).toBe('depthwiseConv2d');
      const g = int8CaseGeometry(c, int8ConvInputs(c)) as Conv2dGeometry;
      expect([g.strideHeight, g.strideWidth]).toEqual([2, 2]);
    }
    const total = int8ConvCases.filter((c) => c.op === 'depthwiseConv2d').length;
    expect(cases.length).toBeLessThan(total);
  });

  it('passes a separable variant both steps, the pointwise one on the depthwise output', () => {
    const seen: SeparableConv2dGeometry[] = [];
    const variant: Int8KernelVariant = {
      name: 'sepconv2d-test',
      op: 'separableConv2d',
      supports: (g: SeparableConv2dGeometry) => (seen.push(g), g.pointwise.inChannels === g.depthwise.outChannels),
    };
    expect(int8CasesFor(variant)).toHaveLength(int8ConvCases.filter((c) => c.op === 'separableConv2d').length);
    expect(seen.every((g) => g.pointwise.inHeight === g.depthwise.outHeight && g.pointwise.kernelHeight === 1)).toBe(true);
  });
});
