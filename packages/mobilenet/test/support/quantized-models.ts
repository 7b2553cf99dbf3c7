// The small quantized MobileNets the int8 backend tests compare against the reference backend:
// V1, V2 (residual adds) and V3 (hard-swish and hard-sigmoid tables, SE multiplies, the input
// rescaling's constant multiply and add) with random seeded weights, calibrated on seeded random batches, and
// one predict through the int8 runtime.
import { randomUniform, type Backend, type HostTensor } from '@sepconv/tensor';
import { quantizeModel } from '../../src/quantize/quantize-model.js';
import type { QuantizedModel } from '../../src/quantize/quantized-model-spec.js';
import { instantiate } from '../../src/runtime/instantiate.js';
import { onlyOutput } from '../../src/runtime/model.js';
import { mobilenetV1, mobilenetV2, mobilenetV3 } from '../../src/spec/index.js';
import { randomWeights } from '../../src/weights/random-weights.js';

const calibration = [1, 2, 3].map((seed) => randomUniform([2, 32, 32, 3], seed));
const x = randomUniform([3, 32, 32, 3], 77);

/** The model's float output for a fixed batch of 3 (`predictAsync`: int8 values may live on the device). */
export async function predictQuantized(quantized: QuantizedModel, backend: Backend): Promise<Float32Array> {
  const model = await instantiate(quantized.spec, backend, { weights: quantized.weights });
  try {
    return (onlyOutput(await model.predictAsync(x)) as HostTensor).data;
  } finally {
    model.dispose();
  }
}

/** Builders of the quantized test models by name (quantizing takes a moment: call once per suite). */
export const quantizedTestModels: Record<string, () => Promise<QuantizedModel>> = {
  'MobileNetV1 0.25-32': () => {
    const spec = mobilenetV1({ alpha: 0.25, resolution: 32, classes: 10 });
    return quantizeModel(spec, randomWeights(spec, 3), { calibration });
  },
  'MobileNetV2 0.35-32': () => {
    const spec = mobilenetV2({ alpha: 0.35, resolution: 32, classes: 10 });
    return quantizeModel(spec, randomWeights(spec, 4), { calibration });
  },
  'MobileNetV3-Small 0.75-32': () => {
    const spec = mobilenetV3({ variant: 'small', alpha: 0.75, minimalistic: false, resolution: 32, classes: 10 });
    return quantizeModel(spec, randomWeights(spec, 5), { calibration });
  },
};
