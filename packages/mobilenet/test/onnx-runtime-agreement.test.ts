// ONNX models written in torchvision's layout (test/support/onnx-mobilenets.ts), read by
// loadOnnxModel and run by sepconv, against onnxruntime-web (wasm, one thread) on the same
// bytes: outputs within 1e-4 of the largest output magnitude, on the reference, CPU and WebGPU
// backends, at several opsets (Clip bounds as attributes before 11 and inputs after; Softmax's
// axis rule before and after 13).
import { createCpuBackend } from '@sepconv/cpu';
import { isHostTensor, nchwToNhwc, nhwcToNchw, randomUniform, UnsupportedError, type Backend, type HostTensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOnnxModel } from '../src/onnx/load-onnx-model.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { acquireWebGpuBackend, type TestGpuBackend } from './support/gpu-backend.js';
import { onnxMobileNetV1, onnxMobileNetV2, onnxMobileNetV3, TorchLayers } from './support/onnx-mobilenets.js';
import { OnnxWriter } from './support/onnx-writer.js';
import { onnxRuntimeOutput, onnxRuntimeOutputs, relativeError } from './support/onnx-runtime.js';

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

const BACKENDS: readonly { name: string; get: () => Backend | string }[] = [
  { name: 'reference', get: () => createReferenceBackend() },
  { name: 'cpu', get: () => cpu },
  { name: 'webgpu', get: () => gpu.backend ?? `no WebGPU adapter: ${gpu.reason}` },
];

const MODELS = [
  { name: 'MobileNetV2 0.35-96, opset 10 (Clip attributes, Dropout)', bytes: () => onnxMobileNetV2({ opset: 10, seed: 3 }) },
  { name: 'MobileNetV2 0.35-96, opset 17 (Clip inputs as Constant nodes)', bytes: () => onnxMobileNetV2({ opset: 17, seed: 4 }) },
  {
    name: "MobileNetV2 0.35-96, opset 18, ReLU6 as Min(Relu(x), 6) (the dynamo exporter's spelling)",
    bytes: () => onnxMobileNetV2({ opset: 18, seed: 14, relu6: 'MinRelu' }),
  },
  { name: 'MobileNetV1 0.25-96 with Pad, opset 11 (Pad and Clip inputs)', bytes: () => onnxMobileNetV1({ opset: 11, seed: 5 }) },
  { name: 'MobileNetV1 0.25-96 with Pad, opset 9 (Pad attribute, Softmax before 13)', bytes: () => onnxMobileNetV1({ opset: 9, seed: 6 }) },
  {
    name: 'MobileNetV3 Small 0.35-96, opset 11 (HardSwish, SE with HardSigmoid and Mul)',
    bytes: () => onnxMobileNetV3('small', { opset: 11, seed: 11 }),
  },
  { name: 'MobileNetV3 Large 0.35-96, opset 17', bytes: () => onnxMobileNetV3('large', { opset: 17, seed: 12 }) },
  {
    name: "MobileNetV3 Large 0.35-96, opset 13, timm's spellings: h_swish / h_sigmoid as x · relu6(x + 3) / 6 and relu6(x + 3) / 6 (fused epilogues), the SE squeeze as ReduceMean",
    bytes: () => onnxMobileNetV3('large', { opset: 13, seed: 13, hardActivations: 'relu6', squeeze: 'ReduceMean' }),
  },
];

describe.each(MODELS)('$name agrees with onnxruntime-web', ({ bytes: write }) => {
  const bytes = write();
  const x = randomUniform([2, 3, 96, 96], 7, -1, 1);
  let expected: Float32Array;
  beforeAll(async () => {
    expected = await onnxRuntimeOutput(bytes, x);
  });

  for (const { name, get } of BACKENDS) {
    it(`on ${name}, NCHW in (inputLayout nchw)`, async (context) => {
      const backend = get();
      if (typeof backend === 'string') return context.skip(backend);
      const { spec, weights } = loadOnnxModel(bytes, { inputLayout: 'nchw' });
      const model = await instantiate(spec, backend, { weights });
      const y = onlyOutput(await model.predictAsync(x));
      // Where the backend takes options.residual, every residual Add (V2's and V3's, between two
      // tensors of one shape) is folded into the convolution before it; elsewhere each stays a step.
      const adds = model.plan.steps.filter((s) => s.kind === 'binary' && s.op === 'add');
      const folded = model.plan.steps.filter((s) => s.inputs.length === 2 && s.kind !== 'binary');
      const residualAdds = spec.layers.filter((layer) => layer.type === 'add' && layer.inputs.length === 2).length;
      const fuses = (backend.residualOps?.length ?? 0) > 0;
      expect({ adds: adds.length, folded: folded.length }).toEqual(fuses ? { adds: 0, folded: residualAdds } : { adds: residualAdds, folded: 0 });
      model.dispose();
      expect(y.shape).toEqual([2, 10]);
      expect(relativeError(y.data, expected)).toBeLessThan(1e-4);
    });
  }

  it('on the reference backend, NHWC in (the default layout)', async () => {
    const { spec, weights } = loadOnnxModel(bytes);
    const model = await instantiate(spec, createReferenceBackend(), { weights });
    const y = onlyOutput(await model.predictAsync(nchwToNhwc(x)));
    expect(relativeError(y.data, expected)).toBeLessThan(1e-4);
    // A check that can fail: other weights give other outputs.
    const other = await instantiate(spec, createReferenceBackend(), { weights: 'random', seed: 9 });
    expect(relativeError(onlyOutput(await other.predictAsync(nchwToNhwc(x))).data, expected)).toBeGreaterThan(1e-2);
  });
});

/** A backbone with two heads, as detection exports have: a spatial map (rank 4) and class scores (rank 2). */
function twoHeadedOnnx(): Uint8Array {
  const w = new OnnxWriter(13, 41);
  const t = new TorchLayers(w);
  const x = w.input('input', ['batch', 3, 32, 32]);
  const backbone = t.convBnAct(x, 3, 8, 3, 2, 1, 'hardswish');
  w.node('Sigmoid', [t.conv(backbone, 8, 4, 1, 1, 1, true)], {}, { outputs: ['heatmap'] });
  t.linear(t.classifierInput(backbone), 8, 5, 'fc', 'scores');
  return w.bytes(['heatmap', 'scores']);
}

describe("several outputs with inputLayout 'nchw': each comes back in the caller's layout", () => {
  const bytes = twoHeadedOnnx();
  const x = randomUniform([2, 3, 32, 32], 42, -1, 1);
  let expected: Map<string, { data: Float32Array; dims: readonly number[] }>;
  beforeAll(async () => {
    expected = await onnxRuntimeOutputs(bytes, x);
  });

  const check = (y: Record<string, HostTensor>): void => {
    expect(Object.keys(y)).toEqual(['heatmap', 'scores']);
    expect(expected.get('heatmap')!.dims).toEqual([2, 4, 16, 16]);
    expect(y.heatmap!.shape).toEqual([2, 4, 16, 16]);
    expect(y.scores!.shape).toEqual([2, 5]);
    expect(relativeError(y.heatmap!.data, expected.get('heatmap')!.data)).toBeLessThan(1e-4);
    expect(relativeError(y.scores!.data, expected.get('scores')!.data)).toBeLessThan(1e-4);
  };

  for (const { name, get } of BACKENDS) {
    it(`on ${name}, predictAsync: the heatmap NCHW, the scores as they are`, async (context) => {
      const backend = get();
      if (typeof backend === 'string') return context.skip(backend);
      const { spec, weights } = loadOnnxModel(bytes, { inputLayout: 'nchw' });
      const model = await instantiate(spec, backend, { weights });
      const y = await model.predictAsync(x);
      model.dispose();
      check(y as Record<string, HostTensor>);
    });
  }

  it("predict on the reference backend (host tensors) transposes each output too; on CPU the heatmap is the backend's tensor, so predict says to use predictAsync; the NHWC default leaves it NHWC", async () => {
    const { spec, weights } = loadOnnxModel(bytes, { inputLayout: 'nchw' });
    const reference = await instantiate(spec, createReferenceBackend(), { weights });
    const y = reference.predict(x) as Record<string, HostTensor>;
    expect(Object.values(y).every(isHostTensor)).toBe(true);
    check(y);
    const onCpu = await instantiate(spec, cpu, { weights });
    expect(() => onCpu.predict(x)).toThrow(UnsupportedError);
    expect(() => onCpu.predict(x)).toThrow(/returns NCHW, transposed on the host, but its output \[2, 16, 16, 4\] is on 'cpu': use predictAsync/);
    onCpu.dispose();
    const nhwc = loadOnnxModel(bytes);
    const model = await instantiate(nhwc.spec, createReferenceBackend(), { weights: nhwc.weights });
    const inNhwc = (await model.predictAsync(nchwToNhwc(x))) as Record<string, HostTensor>;
    expect(inNhwc.heatmap!.shape).toEqual([2, 16, 16, 4]);
    check({ heatmap: nhwcToNchw(inNhwc.heatmap!), scores: inNhwc.scores! });
  });
});
