import { ShapeError, ValueError } from '@sepconv/tensor';
import {
  activationLayer,
  addLayer,
  batchNormLayer,
  concatLayer,
  conv2dLayer,
  denseLayer,
  depthwiseConv2dLayer,
  dropoutLayer,
  elementwiseLayer,
  modelSpec,
  padLayer,
  pointwiseConv2dLayer,
  poolLayer,
  reshapeLayer,
  resizeBilinearLayer,
  separableConv2dLayer,
  type LayerSpec,
} from '@sepconv/graph';
import { describe, expect, it } from 'vitest';
import { FLOAT32_BYTES, layerCost, modelCost } from '../src/index.js';

describe('layerCost', () => {
  it('conv2d: B·OH·OW·Cout·KH·KW·Cin mult-adds, weights plus bias, float32 bytes', () => {
    // 2 images of 5x6x3, 3x2 kernel, stride 2 valid -> 2x3 outputs of 4 channels.
    const layer = conv2dLayer({ inputShape: [2, 5, 6, 3], kernelSize: [3, 2], outChannels: 4, strides: 2, useBias: true });
    expect(layer.outputShape).toEqual([2, 2, 3, 4]);
    const cost = layerCost(layer);
    expect(cost.multAdds).toBe(2 * 2 * 3 * 4 * 3 * 2 * 3);
    expect(cost.flops).toBe(2 * cost.multAdds);
    expect(cost.params).toEqual({ total: 3 * 2 * 3 * 4 + 4, trainable: 3 * 2 * 3 * 4 + 4, weights: 3 * 2 * 3 * 4 });
    expect(cost.bytesRead).toBe((2 * 5 * 6 * 3 + 76) * FLOAT32_BYTES);
    expect(cost.bytesWritten).toBe(2 * 2 * 3 * 4 * FLOAT32_BYTES);
    expect(cost.bytes).toBe(cost.bytesRead + cost.bytesWritten);
    expect(cost.arithmeticIntensity).toBeCloseTo(cost.flops / cost.bytes, 12);
    expect(cost).toMatchObject({ name: 'conv2d', type: 'conv2d' });
  });

  it('depthwise: no input-channel factor; the channel multiplier multiplies outputs and weights', () => {
    const layer = depthwiseConv2dLayer({ inputShape: [1, 4, 4, 3], kernelSize: 3, channelMultiplier: 2, padding: 'same' });
    const cost = layerCost(layer);
    expect(layer.outputShape).toEqual([1, 4, 4, 6]);
    expect(cost.multAdds).toBe(4 * 4 * 6 * 9);
    expect(cost.params).toEqual({ total: 9 * 6, trainable: 9 * 6, weights: 9 * 6 });
  });

  it('pointwise: a matrix product [N·H·W, Cin] x [Cin, Cout]', () => {
    const cost = layerCost(pointwiseConv2dLayer({ inputShape: [3, 2, 2, 5], outChannels: 7 }));
    expect(cost.multAdds).toBe(3 * 2 * 2 * 5 * 7);
    expect(cost.params.weights).toBe(35);
  });

  it('separable: depthwise plus pointwise, counted fused (the intermediate is never in memory)', () => {
    const layer = separableConv2dLayer({
      inputShape: [1, 6, 6, 4],
      kernelSize: 3,
      outChannels: 8,
      strides: 2,
      padding: 'same',
      depthwiseUseBias: true,
      useBias: true,
    });
    const depthwise = layerCost(depthwiseConv2dLayer({ inputShape: [1, 6, 6, 4], kernelSize: 3, strides: 2, padding: 'same', useBias: true }));
    const pointwise = layerCost(pointwiseConv2dLayer({ inputShape: [1, 3, 3, 4], outChannels: 8, useBias: true }));
    const cost = layerCost(layer);
    expect(cost.multAdds).toBe(depthwise.multAdds + pointwise.multAdds);
    expect(cost.params.total).toBe(depthwise.params.total + pointwise.params.total);
    expect(cost.bytesRead).toBe((6 * 6 * 4 + cost.params.total) * FLOAT32_BYTES);
    expect(cost.bytesWritten).toBe(3 * 3 * 8 * FLOAT32_BYTES);
    expect(cost.bytes).toBeLessThan(depthwise.bytes + pointwise.bytes);
  });

  it('batch norm: four values per channel as Keras counts, two of them trainable, no weights', () => {
    expect(layerCost(batchNormLayer({ inputShape: [1, 2, 2, 10] })).params).toEqual({ total: 40, trainable: 20, weights: 0 });
    expect(layerCost(batchNormLayer({ inputShape: [1, 10], center: false })).params).toEqual({ total: 30, trainable: 10, weights: 0 });
    expect(layerCost(batchNormLayer({ inputShape: [1, 10] })).multAdds).toBe(0);
  });

  it('dense: rows x inFeatures x units over the last axis', () => {
    const cost = layerCost(denseLayer({ inputShape: [2, 3, 8], units: 5, useBias: true }));
    expect(cost.multAdds).toBe(2 * 3 * 8 * 5);
    expect(cost.params).toEqual({ total: 45, trainable: 45, weights: 40 });
  });

  it('activation, pooling and add move data but count no mult-adds; add reads both inputs', () => {
    const relu = layerCost(activationLayer({ inputShape: [1, 2, 2, 3], activation: 'relu6' }));
    expect(relu).toMatchObject({ multAdds: 0, flops: 0, bytesRead: 48, bytesWritten: 48, arithmeticIntensity: 0 });
    const pool = layerCost(poolLayer({ inputShape: [1, 4, 4, 2], mode: 'max', poolSize: 2 }));
    expect(pool).toMatchObject({ multAdds: 0, bytesRead: 128, bytesWritten: 32 });
    const add = layerCost(addLayer({ inputShape: [1, 2, 2, 3], inputs: ['a', 'b'] }));
    expect(add).toMatchObject({ multAdds: 0, bytesRead: 96, bytesWritten: 48 });
  });

  it('graph kinds: element-wise (broadcast or constant), concat, pad and resize count no mult-adds, only the data they move', () => {
    const mul = layerCost(
      elementwiseLayer({
        op: 'mul',
        inputShapes: [
          [1, 4, 4, 8],
          [1, 1, 1, 8],
        ],
        inputs: ['x', 'gate'],
      }),
    );
    expect(mul).toMatchObject({ multAdds: 0, bytesRead: (128 + 8) * 4, bytesWritten: 128 * 4, params: { total: 0 } });
    const scale = layerCost(elementwiseLayer({ op: 'sub', inputShape: [1, 4, 4, 3], constant: { shape: [3] } }));
    expect(scale).toMatchObject({ multAdds: 0, bytesRead: (48 + 3) * 4, bytesWritten: 48 * 4, params: { total: 0, trainable: 0, weights: 0 } });
    const concat = layerCost(
      concatLayer({
        inputShapes: [
          [1, 2, 2, 3],
          [1, 2, 2, 5],
        ],
      }),
    );
    expect(concat).toMatchObject({ multAdds: 0, bytesRead: 32 * 4, bytesWritten: 32 * 4 });
    const pad = layerCost(padLayer({ inputShape: [1, 2, 2, 1], padding: { top: 1, bottom: 1, left: 1, right: 1 } }));
    expect(pad).toMatchObject({ multAdds: 0, bytesRead: 4 * 4, bytesWritten: 16 * 4 });
    const resize = layerCost(resizeBilinearLayer({ inputShape: [1, 2, 2, 1], size: 4 }));
    expect(resize).toMatchObject({ multAdds: 0, bytesRead: 4 * 4, bytesWritten: 16 * 4 });
    const hardSwish = layerCost(activationLayer({ inputShape: [1, 2, 2, 3], activation: 'hardSwish' }));
    expect(hardSwish).toMatchObject({ multAdds: 0, bytesRead: 48, bytesWritten: 48 });
  });

  it('squeeze-and-excitation: the 1×1 convolutions count, the pool, activations and multiply do not', () => {
    const x = [1, 7, 7, 16];
    const pool = poolLayer({ name: 'se_pool', inputShape: x, mode: 'avg', global: true, keepDims: true });
    const reduce = pointwiseConv2dLayer({ name: 'se_reduce', inputShape: pool.outputShape, outChannels: 4, useBias: true, activation: 'relu' });
    const expand = pointwiseConv2dLayer({ name: 'se_expand', inputShape: reduce.outputShape, outChannels: 16, useBias: true });
    const gate = activationLayer({ name: 'se_gate', inputShape: expand.outputShape, activation: 'hardSigmoid' });
    const mul = elementwiseLayer({ op: 'mul', name: 'se_mul', inputShapes: [x, gate.outputShape], inputs: ['input', 'se_gate'] });
    const cost = modelCost(modelSpec({ name: 'se', inputShape: x, layers: [pool, reduce, expand, gate, mul] }));
    expect(cost.multAdds).toBe(16 * 4 + 4 * 16);
    expect(cost.params).toEqual({ total: 16 * 4 + 4 + 4 * 16 + 16, trainable: 16 * 4 + 4 + 4 * 16 + 16, weights: 16 * 4 + 4 * 16 });
  });

  it('dropout (identity at inference) and reshape (a view) cost nothing', () => {
    for (const layer of [dropoutLayer({ inputShape: [1, 8], rate: 0.5 }), reshapeLayer({ inputShape: [1, 1, 1, 8], targetShape: [8] })]) {
      expect(layerCost(layer)).toMatchObject({ multAdds: 0, bytes: 0, arithmeticIntensity: 0, params: { total: 0, trainable: 0, weights: 0 } });
    }
  });

  it('an empty batch costs no arithmetic and moves only the parameters', () => {
    const cost = layerCost(conv2dLayer({ inputShape: [0, 4, 4, 2], kernelSize: 3, outChannels: 2 }));
    expect(cost.multAdds).toBe(0);
    expect(cost.bytes).toBe(36 * FLOAT32_BYTES);
  });

  it('rejects an unknown layer kind and a spec whose shapes no longer fit, naming the argument', () => {
    const lstm: unknown = { type: 'lstm', name: 'x', inputShape: [1], outputShape: [1] };
    expect(() => layerCost(lstm as LayerSpec)).toThrow(ValueError);
    expect(() => layerCost(lstm as LayerSpec)).toThrow(/layerCost: layer.type must be a known layer kind, got 'lstm'/);
    const nothing: unknown = null;
    expect(() => layerCost(nothing as LayerSpec)).toThrow(/layerCost: layer must be a layer spec/);
    const shapeless: unknown = { type: 'activation', name: 'a', activation: 'relu', outputShape: [1] };
    expect(() => layerCost(shapeless as LayerSpec)).toThrow(
      /layerCost: layer.inputShape must be an array of non-negative integers, got undefined in layer 'a'/,
    );
    const parsed = JSON.parse(JSON.stringify(conv2dLayer({ inputShape: [1, 4, 4, 2], kernelSize: 3, outChannels: 2 })));
    parsed.kernelSize = [9, 9];
    expect(() => layerCost(parsed)).toThrow(ShapeError);
  });
});
