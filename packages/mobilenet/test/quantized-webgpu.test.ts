// The int8 runtime on the WebGPU backend's int8 programs returns the very floats the reference
// backend's int8 kernels (the oracle) give: bit-identical outputs for quantized MobileNetV1 and
// V2 (residual adds) on small random-weight models — with normal dispatch (dot4I8Packed where
// WGSL has it) and with the unpacked pointwise and conv2d programs forced.
import { randomUniform, type Backend, type HostTensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { createWebGpuBackend, type WebGpuBackend } from '@sepconv/webgpu';
import { afterAll, describe, expect, it } from 'vitest';
import { quantizeModel } from '../src/quantize/quantize-model.js';
import type { QuantizedModel } from '../src/quantize/quantized-model-spec.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { mobilenetV1, mobilenetV2 } from '../src/spec/index.js';
import { randomWeights } from '../src/weights/random-weights.js';
import { acquireWebGpuBackend } from './support/gpu-backend.js';

const calibration = [1, 2, 3].map((seed) => randomUniform([2, 32, 32, 3], seed));
const x = randomUniform([3, 32, 32, 3], 77);
const reference = createReferenceBackend();
const gpu = await acquireWebGpuBackend();
const forced: WebGpuBackend[] = [];
afterAll(() => {
  gpu.backend?.dispose();
  for (const backend of forced) backend.dispose();
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

describe.each(Object.entries(models))('%s quantized, int8 on the WebGPU backend', (_name, quantize) => {
  if (!gpu.backend) {
    it.skip(`NO WEBGPU ADAPTER — not run (set SEPCONV_REQUIRE_GPU=1 to fail instead): ${gpu.reason}`, () => {});
    return;
  }
  const backend = gpu.backend;
  let quantized: Promise<QuantizedModel> | undefined;
  let expected: Promise<Float32Array> | undefined;
  const model = () => (quantized ??= quantize());
  const referenceOutput = async () => (expected ??= predict(await model(), reference));

  it('gives the reference backend’s outputs bit for bit', async () => {
    const actual = await predict(await model(), backend);
    expect(actual).toEqual(await referenceOutput());
    // Not all one class: the comparison covers distinct outputs, not a constant.
    expect(new Set(actual).size).toBeGreaterThan(3);
  });

  it.each(['pwconv2d-nhwc-c4-unpacked-qs8', 'conv2d-nhwc-generic-qs8', 'dwconv2d-nhwc-generic-qs8'])(
    'gives the same bits with %s forced',
    async (variant) => {
      const device = (backend as WebGpuBackend).device;
      const one = await createWebGpuBackend({ device, variant });
      forced.push(one);
      expect(await predict(await model(), one)).toEqual(await referenceOutput());
    },
  );
});
