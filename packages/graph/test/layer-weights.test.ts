import { ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import {
  activationLayer,
  addLayer,
  batchNormLayer,
  conv2dLayer,
  denseLayer,
  depthwiseConv2dLayer,
  dropoutLayer,
  layerWeights,
  modelSpec,
  modelWeights,
  pointwiseConv2dLayer,
  poolLayer,
  reshapeLayer,
  separableConv2dLayer,
  type LayerSpec,
} from '../src/index.js';

/** `[name, shape, role, trainable, fanIn]` of each weight, for compact expectations. */
function rows(layer: LayerSpec): unknown[][] {
  return layerWeights(layer).map((w) => [w.name, w.shape, w.role, w.trainable, w.fanIn]);
}

describe('layerWeights: the one per-layer weight schema', () => {
  it('conv2d: kernel [kh, kw, Cin, Cout] (fan-in kh·kw·Cin), then bias [Cout] only when used', () => {
    const layer = conv2dLayer({ inputShape: [1, 8, 8, 3], kernelSize: [3, 2], outChannels: 5, useBias: true });
    expect(rows(layer)).toEqual([
      ['kernel', [3, 2, 3, 5], 'kernel', true, 18],
      ['bias', [5], 'bias', true, 0],
    ]);
    expect(rows(conv2dLayer({ inputShape: [1, 8, 8, 3], kernelSize: 3, outChannels: 5 }))).toEqual([['kernel', [3, 3, 3, 5], 'kernel', true, 27]]);
  });

  it('depthwiseConv2d: depthwise_kernel [kh, kw, C, multiplier] (fan-in kh·kw), bias [C·multiplier]', () => {
    const layer = depthwiseConv2dLayer({ inputShape: [1, 8, 8, 4], kernelSize: 5, channelMultiplier: 2, useBias: true });
    expect(rows(layer)).toEqual([
      ['depthwise_kernel', [5, 5, 4, 2], 'kernel', true, 25],
      ['bias', [8], 'bias', true, 0],
    ]);
  });

  it("pointwiseConv2d: kernel [Cin, Cout], also accepted as Keras's [1, 1, Cin, Cout]", () => {
    const [kernel, bias] = layerWeights(pointwiseConv2dLayer({ inputShape: [1, 4, 4, 6], outChannels: 7, useBias: true }));
    expect(kernel).toEqual({ name: 'kernel', shape: [6, 7], equivalentShapes: [[1, 1, 6, 7]], role: 'kernel', trainable: true, fanIn: 6 });
    expect(bias).toEqual({ name: 'bias', shape: [7], equivalentShapes: [], role: 'bias', trainable: true, fanIn: 0 });
  });

  it("separableConv2d: Keras's order depthwise_kernel, pointwise_kernel, then the biases in use", () => {
    const layer = separableConv2dLayer({
      inputShape: [1, 8, 8, 3],
      kernelSize: 3,
      outChannels: 4,
      channelMultiplier: 2,
      depthwiseUseBias: true,
      useBias: true,
    });
    expect(rows(layer)).toEqual([
      ['depthwise_kernel', [3, 3, 3, 2], 'kernel', true, 9],
      ['pointwise_kernel', [6, 4], 'kernel', true, 6],
      ['depthwise_bias', [6], 'bias', true, 0],
      ['bias', [4], 'bias', true, 0],
    ]);
    expect(layerWeights(separableConv2dLayer({ inputShape: [1, 8, 8, 3], kernelSize: 3, outChannels: 4 })).map((w) => w.name)).toEqual([
      'depthwise_kernel',
      'pointwise_kernel',
    ]);
  });

  it('dense: kernel [inFeatures, units] over the last axis, bias [units]', () => {
    expect(rows(denseLayer({ inputShape: [2, 3, 8], units: 5, useBias: true }))).toEqual([
      ['kernel', [8, 5], 'kernel', true, 8],
      ['bias', [5], 'bias', true, 0],
    ]);
  });

  it('batchNorm: gamma and beta when scale / center, then the non-trainable moving statistics', () => {
    expect(rows(batchNormLayer({ inputShape: [1, 2, 2, 10] }))).toEqual([
      ['gamma', [10], 'gamma', true, 0],
      ['beta', [10], 'beta', true, 0],
      ['moving_mean', [10], 'movingMean', false, 0],
      ['moving_variance', [10], 'movingVariance', false, 0],
    ]);
    expect(layerWeights(batchNormLayer({ inputShape: [1, 10], scale: false })).map((w) => w.name)).toEqual([
      'beta',
      'moving_mean',
      'moving_variance',
    ]);
    expect(layerWeights(batchNormLayer({ inputShape: [1, 10], center: false })).map((w) => w.name)).toEqual([
      'gamma',
      'moving_mean',
      'moving_variance',
    ]);
  });

  it('the kinds without weights have none', () => {
    const shape = [1, 4, 4, 2];
    for (const layer of [
      activationLayer({ inputShape: shape, activation: 'relu6' }),
      poolLayer({ inputShape: shape, mode: 'avg', global: true }),
      addLayer({ inputShape: shape, inputs: ['a', 'b'] }),
      dropoutLayer({ inputShape: shape, rate: 0.5 }),
      reshapeLayer({ inputShape: shape, targetShape: [32] }),
    ]) {
      expect(layerWeights(layer)).toEqual([]);
    }
  });

  it('a layer of unknown kind (parsed JSON that bypassed the types) is a ValueError naming layerWeights', () => {
    expect(() => layerWeights({ type: 'lstm', name: 'l' } as unknown as LayerSpec)).toThrow(ValueError);
    expect(() => layerWeights({ type: 'lstm', name: 'l' } as unknown as LayerSpec)).toThrow(
      /layerWeights: layer.type must be a known layer kind, got 'lstm'/,
    );
    expect(() => layerWeights({ type: 'toString', name: 'l' } as unknown as LayerSpec)).toThrow(
      /layerWeights: layer.type must be a known layer kind/,
    );
    expect(() => layerWeights(null as unknown as LayerSpec)).toThrow(/layerWeights: layer.type/);
  });
});

describe('modelWeights', () => {
  it("lists every weight of a model keyed '<layer>/<weight>', in layer order", () => {
    const conv = conv2dLayer({ name: 'conv1', inputShape: [1, 8, 8, 3], kernelSize: 3, outChannels: 4 });
    const spec = modelSpec({
      name: 'm',
      inputShape: [1, 8, 8, 3],
      layers: [
        conv,
        batchNormLayer({ name: 'conv1_bn', inputShape: conv.outputShape, center: false }),
        activationLayer({ name: 'relu', inputShape: conv.outputShape, activation: 'relu' }),
      ],
    });
    expect(modelWeights(spec).map((w) => [w.key, w.layer, w.shape])).toEqual([
      ['conv1/kernel', 'conv1', [3, 3, 3, 4]],
      ['conv1_bn/gamma', 'conv1_bn', [4]],
      ['conv1_bn/moving_mean', 'conv1_bn', [4]],
      ['conv1_bn/moving_variance', 'conv1_bn', [4]],
    ]);
  });
});
