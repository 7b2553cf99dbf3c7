import { ValueError } from '@sepconv/tensor';
import { conv2dLayer, type Conv2dLayer } from '@sepconv/graph';
import { describe, expect, it } from 'vitest';
import { compareSeparable, separableReduction, separableReplacement } from '../src/index.js';

describe('separableReduction', () => {
  it('is 1/N + 1/D_K^2, with D_K^2 = height x width for a rectangular kernel', () => {
    expect(separableReduction({ outChannels: 64, kernelSize: 3 })).toBe(1 / 64 + 1 / 9);
    expect(separableReduction({ outChannels: 10, kernelSize: [1, 5] })).toBe(1 / 10 + 1 / 5);
  });

  it.each([
    [{ outChannels: 0, kernelSize: 3 }, /separableReduction: options.outChannels must be a positive integer, got 0/],
    [{ outChannels: 1.5, kernelSize: 3 }, /options.outChannels/],
    [{ outChannels: 8, kernelSize: [3] }, /separableReduction: options.kernelSize must be a positive integer or \[height, width\], got \[3\]/],
    [{ outChannels: 8, kernelSize: -1 }, /options.kernelSize/],
  ])('rejects %j', (options, message) => {
    const given: unknown = options;
    expect(() => separableReduction(given as { outChannels: number; kernelSize: number })).toThrow(ValueError);
    expect(() => separableReduction(given as { outChannels: number; kernelSize: number })).toThrow(message);
  });
});

describe('compareSeparable', () => {
  it('keeps the geometry: same output shape, kernel, strides and padding; ratio equals 1/N + 1/D_K^2', () => {
    const layer = conv2dLayer({ name: 'c', inputShape: [1, 9, 9, 6], kernelSize: 3, outChannels: 10, strides: 2, padding: 'same' });
    const replacement = separableReplacement(layer);
    expect(replacement).toMatchObject({
      type: 'separableConv2d',
      name: 'c_separable',
      kernelSize: [3, 3],
      strides: [2, 2],
      padding: 'same',
      outputShape: layer.outputShape,
    });
    const comparison = compareSeparable(layer);
    expect(comparison.ratio.multAdds).toBeCloseTo(1 / 10 + 1 / 9, 12);
    expect(comparison.ratio.params).toBeCloseTo(1 / 10 + 1 / 9, 12);
    expect(comparison.reduction).toBe(separableReduction({ outChannels: 10, kernelSize: 3 }));
    expect(comparison.depthwise.multAdds + comparison.pointwise.multAdds).toBe(comparison.separable.multAdds);
  });

  it('carries bias and activation to the pointwise step', () => {
    const layer = conv2dLayer({ inputShape: [1, 4, 4, 2], kernelSize: 3, outChannels: 3, useBias: true, activation: 'relu' });
    expect(separableReplacement(layer)).toMatchObject({ useBias: true, activation: 'relu', depthwiseUseBias: false, depthwiseActivation: 'linear' });
    expect(compareSeparable(layer).separable.params.total).toBe(2 * 9 + 2 * 3 + 3);
  });

  it('gives per-example ratios: an empty batch has those of a batch of one, never 0 or 0/0', () => {
    const options = { name: 'c', kernelSize: 3, outChannels: 64, padding: 'same' } as const;
    const one = compareSeparable(conv2dLayer({ ...options, inputShape: [1, 14, 14, 32] }));
    const empty = compareSeparable(conv2dLayer({ ...options, inputShape: [0, 14, 14, 32] }));
    expect(empty.standard.multAdds).toBe(0);
    expect(empty.separable.multAdds).toBe(0);
    expect(empty.ratio).toEqual(one.ratio);
    expect(empty.ratio.multAdds).toBeCloseTo(1 / 64 + 1 / 9, 12);
    expect(compareSeparable(conv2dLayer({ ...options, inputShape: [8, 14, 14, 32] })).ratio.multAdds).toBeCloseTo(one.ratio.multAdds, 12);
  });

  it('rejects anything but a conv2d layer spec', () => {
    const notConv: unknown = { type: 'dense' };
    expect(() => compareSeparable(notConv as Conv2dLayer)).toThrow(/separableReplacement: layer must be a conv2d layer spec/);
  });
});
