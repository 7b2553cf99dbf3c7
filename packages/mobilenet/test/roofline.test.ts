// The cost model's roofline on MobileNetV1: which layers each limit binds.
import { modelCost, predictModel, type DeviceProfile } from '@sepconv/cost';
import { describe, expect, it } from 'vitest';
import { mobilenetV1 } from '../src/index.js';

// A round device: 1 TFLOP/s, 100 GB/s, so the ridge point is 10 FLOP per byte.
const device: DeviceProfile = { name: 'round', peakFlops: 1e12, memoryBandwidth: 1e11 };

describe('predictModel on MobileNetV1 1.0-224', () => {
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
});
