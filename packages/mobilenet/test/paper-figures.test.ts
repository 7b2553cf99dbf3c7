// The figures of the MobileNet papers and Keras, asserted exactly (issue 3, "Must reproduce").
import { compareSeparable, modelCost, separableReduction } from '@sepconv/cost';
import { conv2dLayer } from '@sepconv/graph';
import { describe, expect, it } from 'vitest';
import { mobilenetV1, mobilenetV2 } from '../src/index.js';

const millions = (value: number): number => value / 1e6;

describe('MobileNetV1 (Howard et al. 2017)', () => {
  it('1.0-224: 568,740,352 mult-adds, 4,209,088 weights; Keras: 4,253,864 params, 4,231,976 trainable', () => {
    const cost = modelCost(mobilenetV1());
    expect(cost.multAdds).toBe(568_740_352);
    expect(cost.flops).toBe(2 * 568_740_352);
    expect(cost.params).toEqual({ total: 4_253_864, trainable: 4_231_976, weights: 4_209_088 });
  });

  it.each([
    [1, 569, 4.2],
    [0.75, 325, 2.6],
    [0.5, 149, 1.3],
    [0.25, 41, 0.5],
  ])('Table 6, width multiplier %s at 224: %sM mult-adds, %sM params', (alpha, multAdds, params) => {
    const cost = modelCost(mobilenetV1({ alpha }));
    expect(Math.round(millions(cost.multAdds))).toBe(multAdds);
    expect(Math.round(millions(cost.params.weights) * 10) / 10).toBe(params);
  });

  it.each([
    [224, 569],
    [192, 418],
    [160, 290],
    [128, 186],
  ])('Table 7, resolution %s: %sM mult-adds (within 1M: the paper rounds 290.7 down) and 4.2M params', (resolution, multAdds) => {
    const cost = modelCost(mobilenetV1({ resolution }));
    expect(Math.abs(millions(cost.multAdds) - multAdds)).toBeLessThanOrEqual(1);
    expect(cost.params.weights).toBe(4_209_088);
  });

  it('Table 4, the same network with full convolutions: 4866M mult-adds, 29.3M params', () => {
    const spec = mobilenetV1({ convolutions: 'standard' });
    const cost = modelCost(spec);
    expect(cost.multAdds).toBe(4_867_293_184);
    expect(Math.round(millions(cost.params.weights) * 10) / 10).toBe(29.3);
    // The paper's 4866M leaves out the 1024x1000 classifier (1.024M), which its 569M counts:
    // the convolutions alone are 4,866,269,184.
    const classifier = cost.layers.find((layer) => layer.name === 'conv_preds')!;
    expect(classifier.multAdds).toBe(1_024_000);
    expect(Math.abs(millions(cost.multAdds - classifier.multAdds) - 4866)).toBeLessThanOrEqual(1);
  });

  it("the last depthwise layer has stride 1 (the paper's Table 1 misprints s2), so the final map is 7x7", () => {
    const spec = mobilenetV1();
    const last = spec.layers.find((layer) => layer.name === 'conv_dw_13');
    expect(last).toMatchObject({ type: 'depthwiseConv2d', strides: [1, 1], outputShape: [1, 7, 7, 1024] });
  });
});

describe('Table 3: the 14x14x512 layer with a 3x3 kernel and 512 outputs', () => {
  const layer = (size: number, channels: number) =>
    conv2dLayer({ inputShape: [1, size, size, channels], kernelSize: 3, outChannels: channels, padding: 'same' });

  it('standard convolution: 462M mult-adds, 2.36M params; depthwise separable: 52.3M, 0.27M', () => {
    const { standard, separable } = compareSeparable(layer(14, 512));
    expect(standard.multAdds).toBe(462_422_016);
    expect(standard.params.total).toBe(2_359_296);
    expect(separable.multAdds).toBe(52_283_392);
    expect(separable.params.total).toBe(266_752);
    expect(Math.round(millions(standard.multAdds))).toBe(462);
    expect(Math.round(millions(standard.params.total) * 100) / 100).toBe(2.36);
    expect(Math.round(millions(separable.multAdds) * 10) / 10).toBe(52.3);
    expect(Math.round(millions(separable.params.total) * 100) / 100).toBe(0.27);
  });

  it('alpha = 0.75 (384 channels): 29.6M mult-adds, 0.15M params', () => {
    const { separable } = compareSeparable(layer(14, 384));
    expect(separable.multAdds).toBe(29_578_752);
    expect(Math.round(millions(separable.multAdds) * 10) / 10).toBe(29.6);
    expect(Math.round(millions(separable.params.total) * 100) / 100).toBe(0.15);
  });

  it('rho = 0.714 (10x10) on top: 15.1M mult-adds, 0.15M params', () => {
    const { separable } = compareSeparable(layer(10, 384));
    expect(separable.multAdds).toBe(15_091_200);
    expect(Math.round(millions(separable.multAdds) * 10) / 10).toBe(15.1);
    expect(Math.round(millions(separable.params.total) * 100) / 100).toBe(0.15);
  });

  it('separableReduction: 1/N + 1/D_K^2 = 0.112 for N = 1024, D_K = 3', () => {
    expect(separableReduction({ outChannels: 1024, kernelSize: 3 })).toBeCloseTo(1 / 1024 + 1 / 9, 15);
    expect(separableReduction({ outChannels: 1024, kernelSize: 3 }).toFixed(3)).toBe('0.112');
  });
});

describe('MobileNetV2 (Sandler et al. 2018)', () => {
  it('1.0-224: 300,774,272 mult-adds with the classifier; Keras: 3,538,984 params', () => {
    const cost = modelCost(mobilenetV2());
    expect(cost.multAdds).toBe(300_774_272);
    expect(Math.round(millions(cost.multAdds))).toBe(301);
    expect(cost.params.total).toBe(3_538_984);
  });

  it.each([
    // TF-slim's table of MobileNetV2 checkpoints: mult-adds truncated to millions, weights rounded.
    [1.4, 582, 6.06],
    [1.3, 509, 5.34],
    [1.0, 300, 3.47],
    [0.75, 209, 2.61],
    [0.5, 97, 1.95],
    [0.35, 59, 1.66],
  ])('width %s at 224: %sM mult-adds, %sM weights', (alpha, multAdds, weights) => {
    const cost = modelCost(mobilenetV2({ alpha }));
    expect(Math.floor(millions(cost.multAdds))).toBe(multAdds);
    expect(Math.round(millions(cost.params.weights) * 100) / 100).toBe(weights);
  });
});
