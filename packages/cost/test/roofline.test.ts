import { ValueError } from '@sepconv/tensor';
import { activationLayer, depthwiseConv2dLayer, modelSpec, pointwiseConv2dLayer, type ModelSpec } from '@sepconv/graph';
import { describe, expect, it } from 'vitest';
import { layerCost, modelCost, predictFromCost, predictLayer, predictModel, type DeviceProfile } from '../src/index.js';

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
    [{ name: 'x', peakFlops: 0, memoryBandwidth: 1 }, /predictLayer: profile.peakFlops must be a finite number >= 1 \(per second\), got 0/],
    [{ name: 'x', peakFlops: 1, memoryBandwidth: Infinity }, /profile.memoryBandwidth/],
    [{ peakFlops: 1, memoryBandwidth: 1 }, /profile.name must be a string/],
    [null, /predictLayer: profile must be/],
  ])('rejects the profile %j', (profile, message) => {
    const layer = activationLayer({ inputShape: [1, 2], activation: 'relu' });
    const given: unknown = profile;
    expect(() => predictLayer(layer, given as DeviceProfile)).toThrow(ValueError);
    expect(() => predictLayer(layer, given as DeviceProfile)).toThrow(message);
  });

  it('names an infinite rate as Infinity, not null', () => {
    const layer = activationLayer({ inputShape: [1, 2], activation: 'relu' });
    expect(() => predictLayer(layer, { name: 'x', peakFlops: 1e308 * 1e9, memoryBandwidth: 1 })).toThrow(
      'predictLayer: profile.peakFlops must be a finite number >= 1 (per second), got Infinity',
    );
    expect(() => predictLayer(layer, { name: 'x', peakFlops: 1, memoryBandwidth: Number.NaN })).toThrow(/got NaN$/);
  });
});

describe('predictFromCost', () => {
  const cost = layerCost(pointwiseConv2dLayer({ inputShape: [1, 14, 14, 512], outChannels: 512 }));

  it('checks the profile as the other predictors do: a zero or infinite peak is a ValueError, never Infinity s or 0 s', () => {
    for (const profile of [
      { name: 'x', peakFlops: 0, memoryBandwidth: 1e11 },
      { name: 'x', peakFlops: 1e12, memoryBandwidth: 0 },
      { name: 'x', peakFlops: Infinity, memoryBandwidth: 1e11 },
      { name: 'x', peakFlops: -1, memoryBandwidth: 1e11 },
      // Slower than 1 FLOP/s, a real layer's time would overflow to Infinity.
      { name: 'x', peakFlops: 1e-301, memoryBandwidth: 1e11 },
    ]) {
      expect(() => predictFromCost(cost, profile)).toThrow(ValueError);
      expect(() => predictFromCost(cost, profile)).toThrow(/^predictFromCost: profile\.(peakFlops|memoryBandwidth) must be a finite number >= 1/);
    }
  });

  it('checks the cost: flops and bytes must be non-negative finite numbers', () => {
    const given: unknown = { ...cost, flops: Number.NaN };
    expect(() => predictFromCost(given as typeof cost, device)).toThrow(
      /^predictFromCost: cost\.flops must be a non-negative finite number, got NaN/,
    );
    expect(() => predictFromCost(null as unknown as typeof cost, device)).toThrow(/^predictFromCost: cost must be a layer cost/);
  });

  it('gives what predictLayer gives for a valid profile', () => {
    expect(predictFromCost(cost, device)).toEqual(predictLayer(pointwiseConv2dLayer({ inputShape: [1, 14, 14, 512], outChannels: 512 }), device));
  });
});

/** A separable block at 56x56x128: depthwise (about 2 FLOP/byte), pointwise (about 31), ReLU6 (0). */
function separableBlock(): ModelSpec {
  const dw = depthwiseConv2dLayer({ name: 'dw', inputShape: [1, 56, 56, 128], kernelSize: 3, padding: 'same' });
  const pw = pointwiseConv2dLayer({ name: 'pw', inputShape: dw.outputShape, outChannels: 128 });
  const relu = activationLayer({ name: 'relu', inputShape: pw.outputShape, activation: 'relu6' });
  return modelSpec({ name: 'separable_block', inputShape: [1, 56, 56, 128], layers: [dw, pw, relu] });
}

describe('predictModel', () => {
  it('sums the layers; the split by bound adds up; the depthwise layer is memory-bound, the pointwise compute-bound', () => {
    const spec = separableBlock();
    const prediction = predictModel(spec, device);
    expect(prediction.layers.map((l) => [l.name, l.bound])).toEqual([
      ['dw', 'memory'],
      ['pw', 'compute'],
      ['relu', 'memory'],
    ]);
    const total = prediction.layers.reduce((sum, layer) => sum + layer.seconds, 0);
    expect(prediction.seconds).toBeCloseTo(total, 15);
    expect(prediction.secondsByBound.compute).toBe(prediction.layers[1]!.seconds);
    expect(prediction.secondsByBound.memory).toBeCloseTo(prediction.layers[0]!.seconds + prediction.layers[2]!.seconds, 15);
    expect(prediction.computeSeconds).toBeCloseTo(modelCost(spec).flops / 1e12, 15);
    expect(prediction.profile).toEqual(device);
  });

  it('rejects a bad profile naming predictModel', () => {
    const given: unknown = { name: 'x', peakFlops: -1, memoryBandwidth: 1 };
    expect(() => predictModel(separableBlock(), given as DeviceProfile)).toThrow(/predictModel: profile.peakFlops/);
  });
});
