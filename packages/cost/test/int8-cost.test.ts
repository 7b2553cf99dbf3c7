// The int8 count: 1 B per activation and kernel weight, 4 B per bias, 8 B of requantization per
// output channel, arithmetic at the profile's int8 peak.
import {
  activationLayer,
  batchNormLayer,
  conv2dLayer,
  depthwiseConv2dLayer,
  modelSpec,
  pointwiseConv2dLayer,
  poolLayer,
  separableConv2dLayer,
  type ModelSpec,
} from '@sepconv/graph';
import { ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { checkDeviceProfile, DTYPE_BYTES, layerCost, modelCost, predictFromCost, predictLayer, predictModel } from '../src/index.js';

function block(): ModelSpec {
  const conv = conv2dLayer({ name: 'conv', inputShape: [1, 16, 16, 8], kernelSize: 3, outChannels: 16, padding: 'same' });
  const convBn = batchNormLayer({ name: 'conv_bn', inputShape: conv.outputShape });
  const convRelu = activationLayer({ name: 'conv_relu', inputShape: conv.outputShape, activation: 'relu6' });
  const dw = depthwiseConv2dLayer({ name: 'dw', inputShape: conv.outputShape, kernelSize: 3, padding: 'same' });
  const dwBn = batchNormLayer({ name: 'dw_bn', inputShape: dw.outputShape });
  const pw = pointwiseConv2dLayer({ name: 'pw', inputShape: dw.outputShape, outChannels: 8, useBias: true });
  return modelSpec({ name: 'block', inputShape: [1, 16, 16, 8], layers: [conv, convBn, convRelu, dw, dwBn, pw] });
}

describe("layerCost(layer, { dtype: 'int8' })", () => {
  it('conv2d: int8 activations and kernel, int32 bias, an int32 multiplier and shift per output channel', () => {
    const layer = conv2dLayer({ inputShape: [2, 5, 6, 3], kernelSize: [3, 2], outChannels: 4, strides: 2, useBias: true });
    const float = layerCost(layer);
    const int8 = layerCost(layer, { dtype: 'int8' });
    expect(int8.dtype).toBe('int8');
    expect(float.dtype).toBe('float32');
    expect(int8.paramBytes).toBe(72 * 1 + 4 * 4 + 4 * 8);
    expect(float.paramBytes).toBe(76 * 4);
    expect(int8.bytesRead).toBe(2 * 5 * 6 * 3 + int8.paramBytes);
    expect(int8.bytesWritten).toBe(2 * 2 * 3 * 4);
    expect(int8.multAdds).toBe(float.multAdds);
    expect(int8.arithmeticIntensity).toBeCloseTo(int8.flops / int8.bytes, 12);
  });

  it('separable: both steps requantize per output channel; a pool moves int8 activations only', () => {
    const layer = separableConv2dLayer({ inputShape: [1, 7, 7, 16], kernelSize: 3, outChannels: 32, padding: 'same', useBias: false });
    const cost = layerCost(layer, { dtype: 'int8' });
    expect(cost.paramBytes).toBe(9 * 16 + 16 * 32 + (16 + 32) * DTYPE_BYTES.int8.requantization);
    const pool = layerCost(poolLayer({ inputShape: [1, 8, 8, 4], mode: 'avg', poolSize: 2 }), { dtype: 'int8' });
    expect(pool.bytes).toBe(8 * 8 * 4 + 4 * 4 * 4);
    expect(pool.paramBytes).toBe(0);
  });

  it('an unknown dtype is a ValueError naming options.dtype', () => {
    const layer = conv2dLayer({ inputShape: [1, 3, 3, 1], kernelSize: 1, outChannels: 1 });
    expect(() => layerCost(layer, { dtype: 'int4' as never })).toThrow(/layerCost: options.dtype must be 'float32' or 'int8', got 'int4'/);
    expect(() => modelCost(block(), { dtype: 'float16' as never })).toThrow(ValueError);
  });
});

describe("modelCost(spec, { fused: true, dtype: 'int8' })", () => {
  it('folds batch norm into int32 biases: the size is int8 kernels, int32 biases and requantization', () => {
    const spec = block();
    const float = modelCost(spec);
    const int8 = modelCost(spec, { fused: true, dtype: 'int8' });
    expect(float.paramBytes).toBe(float.params.total * 4);
    const kernels = 3 * 3 * 8 * 16 + 3 * 3 * 16 + 16 * 8;
    // Biases: conv and dw from their folded batch norms, pw its own; requantization for each output channel.
    expect(int8.paramBytes).toBe(kernels + (16 + 16 + 8) * 4 + (16 + 16 + 8) * 8);
    expect(int8.dtype).toBe('int8');
    expect(int8.bytes).toBeLessThan(modelCost(spec, { fused: true }).bytes / 3);
  });

  it('predicts int8 layers at peakInt8Ops, and needs it', () => {
    const spec = block();
    const profile = { name: 'int8-device', peakFlops: 50e9, memoryBandwidth: 20e9, peakInt8Ops: 200e9 };
    const cost = modelCost(spec, { fused: true, dtype: 'int8' });
    const conv = predictFromCost(cost.layers[0]!, profile);
    expect(conv.computeSeconds).toBe(cost.layers[0]!.flops / 200e9);
    expect(predictModel(spec, profile, { fused: true, dtype: 'int8' }).computeSeconds).toBeCloseTo(cost.flops / 200e9, 15);
    expect(predictModel(spec, profile, { fused: true, dtype: 'int8' }).profile.peakInt8Ops).toBe(200e9);
    const floatOnly = { name: 'float-only', peakFlops: 50e9, memoryBandwidth: 20e9 };
    expect(() => predictFromCost(cost.layers[0]!, floatOnly)).toThrow(/predictFromCost: profile.peakInt8Ops is needed to predict an int8 cost/);
    expect(() => predictLayer(spec.layers[0]!, floatOnly, { dtype: 'int8' })).toThrow(/predictLayer: profile.peakInt8Ops/);
    expect(predictLayer(spec.layers[0]!, floatOnly).computeSeconds).toBe(layerCost(spec.layers[0]!).flops / 50e9);
  });

  it('checks peakInt8Ops like the other rates', () => {
    expect(() => checkDeviceProfile('test', { name: 'x', peakFlops: 1, memoryBandwidth: 1, peakInt8Ops: 0 })).toThrow(
      /test: profile.peakInt8Ops must be a finite number >= 1/,
    );
    expect(() => checkDeviceProfile('test', { name: 'x', peakFlops: 1, memoryBandwidth: 1, peakInt8Ops: Number.NaN })).toThrow(ValueError);
    expect(() => checkDeviceProfile('test', { name: 'x', peakFlops: 1, memoryBandwidth: 1 })).not.toThrow();
  });
});
