// The int8 runtime on the WebGPU backend's int8 programs returns the very floats the reference
// backend's int8 kernels (the oracle) give: bit-identical outputs for quantized MobileNetV1, V2
// (residual adds) and V3 (lookup tables, int8 multiplies) on small random-weight models — with
// normal dispatch (dot4I8Packed where WGSL has it) and with the unpacked pointwise and conv2d
// programs forced.
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { createWebGpuBackend, type WebGpuBackend } from '@sepconv/webgpu';
import { afterAll, describe, expect, it } from 'vitest';
import type { QuantizedModel } from '../src/quantize/quantized-model-spec.js';
import { predictQuantized, quantizedTestModels } from './support/quantized-models.js';
import { acquireWebGpuBackend } from './support/gpu-backend.js';

const reference = createReferenceBackend();
const gpu = await acquireWebGpuBackend();
const forced: WebGpuBackend[] = [];
afterAll(() => {
  gpu.backend?.dispose();
  for (const backend of forced) backend.dispose();
});

describe.each(Object.entries(quantizedTestModels))('%s quantized, int8 on the WebGPU backend', (_name, quantize) => {
  if (!gpu.backend) {
    it.skip(`NO WEBGPU ADAPTER — not run (set SEPCONV_REQUIRE_GPU=1 to fail instead): ${gpu.reason}`, () => {});
    return;
  }
  const backend = gpu.backend;
  let quantized: Promise<QuantizedModel> | undefined;
  let expected: Promise<Float32Array> | undefined;
  const model = () => (quantized ??= quantize());
  const referenceOutput = async () => (expected ??= predictQuantized(await model(), reference));

  it('gives the reference backend’s outputs bit for bit', async () => {
    const actual = await predictQuantized(await model(), backend);
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
      expect(await predictQuantized(await model(), one)).toEqual(await referenceOutput());
    },
  );
});
