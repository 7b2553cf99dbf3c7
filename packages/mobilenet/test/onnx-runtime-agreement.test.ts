// ONNX models written in torchvision's layout (test/support/onnx-mobilenets.ts), read by
// loadOnnxModel and run by sepconv, against onnxruntime-web (wasm, one thread) on the same
// bytes: outputs within 1e-4 of the largest output magnitude, on the reference, CPU and WebGPU
// backends, at several opsets (Clip bounds as attributes before 11 and inputs after; Softmax's
// axis rule before and after 13).
import { createCpuBackend } from '@sepconv/cpu';
import { nchwToNhwc, randomUniform, type Backend, type HostTensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOnnxModel } from '../src/onnx/load-onnx-model.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { acquireWebGpuBackend, type TestGpuBackend } from './support/gpu-backend.js';
import { onnxMobileNetV1, onnxMobileNetV2 } from './support/onnx-mobilenets.js';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

let cpu: Backend;
let gpu: TestGpuBackend;
beforeAll(async () => {
  cpu = await createCpuBackend({ threads: 1 });
  gpu = await acquireWebGpuBackend();
});
afterAll(() => {
  cpu.dispose();
  gpu.backend?.dispose();
});

/** onnxruntime-web's output for an NCHW input. */
async function onnxRuntime(bytes: Uint8Array, x: HostTensor): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    const results = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x.data, [...x.shape]) });
    return (await results[session.outputNames[0]!]!.getData()) as Float32Array;
  } finally {
    await session.release();
  }
}

/** The largest |a − b| relative to the largest |b|. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / scale;
}

const BACKENDS: readonly { name: string; get: () => Backend | string }[] = [
  { name: 'reference', get: () => createReferenceBackend() },
  { name: 'cpu', get: () => cpu },
  { name: 'webgpu', get: () => gpu.backend ?? `no WebGPU adapter: ${gpu.reason}` },
];

const MODELS = [
  { name: 'MobileNetV2 0.35-96, opset 10 (Clip attributes, Dropout)', bytes: () => onnxMobileNetV2({ opset: 10, seed: 3 }) },
  { name: 'MobileNetV2 0.35-96, opset 17 (Clip inputs as Constant nodes)', bytes: () => onnxMobileNetV2({ opset: 17, seed: 4 }) },
  { name: 'MobileNetV1 0.25-96 with Pad, opset 11 (Pad and Clip inputs)', bytes: () => onnxMobileNetV1({ opset: 11, seed: 5 }) },
  { name: 'MobileNetV1 0.25-96 with Pad, opset 9 (Pad attribute, Softmax before 13)', bytes: () => onnxMobileNetV1({ opset: 9, seed: 6 }) },
];

describe.each(MODELS)('$name agrees with onnxruntime-web', ({ bytes: write }) => {
  const bytes = write();
  const x = randomUniform([2, 3, 96, 96], 7, -1, 1);
  let expected: Float32Array;
  beforeAll(async () => {
    expected = await onnxRuntime(bytes, x);
  });

  for (const { name, get } of BACKENDS) {
    it(`on ${name}, NCHW in (inputLayout nchw)`, async (context) => {
      const backend = get();
      if (typeof backend === 'string') return context.skip(backend);
      const { spec, weights } = loadOnnxModel(bytes, { inputLayout: 'nchw' });
      const model = await instantiate(spec, backend, { weights });
      const y = await model.predictAsync(x);
      model.dispose();
      expect(y.shape).toEqual([2, 10]);
      expect(relativeError(y.data, expected)).toBeLessThan(1e-4);
    });
  }

  it('on the reference backend, NHWC in (the default layout)', async () => {
    const { spec, weights } = loadOnnxModel(bytes);
    const model = await instantiate(spec, createReferenceBackend(), { weights });
    const y = await model.predictAsync(nchwToNhwc(x));
    expect(relativeError(y.data, expected)).toBeLessThan(1e-4);
    // A check that can fail: other weights give other outputs.
    const other = await instantiate(spec, createReferenceBackend(), { weights: 'random', seed: 9 });
    expect(relativeError((await other.predictAsync(nchwToNhwc(x))).data, expected)).toBeGreaterThan(1e-2);
  });
});
