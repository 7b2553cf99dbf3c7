// The int8 runtime on the CPU backend's WebAssembly int8 kernels returns the very floats the
// reference backend's int8 kernels (the oracle) give: bit-identical outputs for quantized
// MobileNetV1 and V2 (residual adds) on small random-weight models, on 1 and 2 threads.
import { createCpuBackend, type CpuBackend } from '@sepconv/cpu';
import { randomUniform, type Backend, type HostTensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { afterAll, describe, expect, it } from 'vitest';
import { quantizeModel } from '../src/quantize/quantize-model.js';
import type { QuantizedModel } from '../src/quantize/quantized-model-spec.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { mobilenetV1, mobilenetV2 } from '../src/spec/index.js';
import { randomWeights } from '../src/weights/random-weights.js';

const calibration = [1, 2, 3].map((seed) => randomUniform([2, 32, 32, 3], seed));
const x = randomUniform([3, 32, 32, 3], 77);
const reference = createReferenceBackend();
const backends: CpuBackend[] = [];
afterAll(() => {
  for (const backend of backends) backend.dispose();
});

async function predict(quantized: QuantizedModel, backend: Backend): Promise<Float32Array> {
  const model = await instantiate(quantized.spec, backend, { weights: quantized.weights });
  try {
    return (onlyOutput(await model.predictAsync(x)) as HostTensor).data;
  } finally {
    model.dispose();
  }
}

const models = {
  'MobileNetV1 0.25-32': () => {
    const spec = mobilenetV1({ alpha: 0.25, resolution: 32, classes: 10 });
    return quantizeModel(spec, randomWeights(spec, 3), { calibration });
  },
  'MobileNetV2 0.35-32': () => {
    const spec = mobilenetV2({ alpha: 0.35, resolution: 32, classes: 10 });
    return quantizeModel(spec, randomWeights(spec, 4), { calibration });
  },
};

describe.each(Object.entries(models))('%s quantized, int8 on the CPU backend', (_name, quantize) => {
  let quantized: Promise<QuantizedModel> | undefined;
  const model = () => (quantized ??= quantize());

  it.each([1, 2])(
    'gives the reference backend’s outputs bit for bit on %i thread(s)',
    async (threads) => {
      const backend = await createCpuBackend({ threads, parallelThreshold: 0 });
      backends.push(backend);
      const expected = await predict(await model(), reference);
      const actual = await predict(await model(), backend);
      expect(actual).toEqual(expected);
      // Not all one class: the comparison covers distinct outputs, not a constant.
      expect(new Set(actual).size).toBeGreaterThan(3);
    },
    120_000,
  );
});
