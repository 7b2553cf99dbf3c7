import { activationLayer, pointwiseConv2dLayer, ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { layerCost, mobilenetV1, modelCost, predictLayer, predictModel, type DeviceProfile } from '../src/index.js';

// A round device: 1 TFLOP/s, 100 GB/s, so the ridge point is 10 FLOP per byte.
const device: DeviceProfile = { name: 'round', peakFlops: 1e12, memoryBandwidth: 1e11 };

describe('predictLayer', () => {
  it('a large pointwise layer (intensity above the ridge) is compute-bound', () => {
    const layer = pointwiseConv2dLayer({ inputShape: [1, 14, 14, 512], outChannels: 512 });
    const cost = layerCost(layer);
    expect(cost.arithmeticIntensity).toBeGreaterThan(10);
    const prediction = predictLayer(layer, device);
    expect(prediction).toMatchObject({ name: layer.name, type: 'pointwiseConv2d', bound: 'compute' });
    expect(prediction.computeSeconds).toBeCloseTo(cost.flops / 1e12, 18);
    expect(prediction.memorySeconds).toBeCloseTo(cost.bytes / 1e11, 18);
    expect(prediction.seconds).toBe(prediction.computeSeconds);
  });

  it('an activation (no arithmetic counted) is memory-bound', () => {
    const layer = activationLayer({ inputShape: [1, 8, 8, 16], activation: 'relu6' });
    expect(predictLayer(layer, device)).toMatchObject({ bound: 'memory', computeSeconds: 0, seconds: (2 * 1024 * 4) / 1e11 });
  });

  it.each([
    [{ name: 'x', peakFlops: 0, memoryBandwidth: 1 }, /predictLayer: profile.peakFlops must be a positive finite number, got 0/],
    [{ name: 'x', peakFlops: 1, memoryBandwidth: Infinity }, /profile.memoryBandwidth/],
    [{ peakFlops: 1, memoryBandwidth: 1 }, /profile.name must be a string/],
    [null, /predictLayer: profile must be/],
  ])('rejects the profile %j', (profile, message) => {
    const layer = activationLayer({ inputShape: [1, 2], activation: 'relu' });
    const given: unknown = profile;
    expect(() => predictLayer(layer, given as DeviceProfile)).toThrow(ValueError);
    expect(() => predictLayer(layer, given as DeviceProfile)).toThrow(message);
  });
});

describe('predictModel', () => {
  it('sums the layers; the split by bound adds up; depthwise layers are memory-bound, pointwise compute-bound', () => {
    const spec = mobilenetV1();
    const prediction = predictModel(spec, device);
    expect(prediction.layers).toHaveLength(spec.layers.length);
    const total = prediction.layers.reduce((sum, layer) => sum + layer.seconds, 0);
    expect(prediction.seconds).toBeCloseTo(total, 15);
    expect(prediction.secondsByBound.compute + prediction.secondsByBound.memory).toBeCloseTo(prediction.seconds, 15);
    expect(prediction.computeSeconds).toBeCloseTo(modelCost(spec).flops / 1e12, 15);
    expect(prediction.layers.find((l) => l.name === 'conv_dw_3')!.bound).toBe('memory');
    expect(prediction.layers.find((l) => l.name === 'conv_pw_7')!.bound).toBe('compute');
    expect(prediction.profile).toEqual(device);
  });

  it('rejects a bad profile naming predictModel', () => {
    const given: unknown = { name: 'x', peakFlops: -1, memoryBandwidth: 1 };
    expect(() => predictModel(mobilenetV1({ resolution: 32 }), given as DeviceProfile)).toThrow(/predictModel: profile.peakFlops/);
  });
});
