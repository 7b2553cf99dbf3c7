import { createCpuBackend, type CpuBackend } from '@sepconv/cpu';
import {
  instantiate,
  loadOnnxModel,
  memoryTuneCache,
  onlyOutput,
  quantizeModel,
  type InstantiateOptions,
  type QuantizedModel,
  type TuneCache,
} from '@sepconv/mobilenet';
import type { Backend, HostTensor, Tensor } from '@sepconv/tensor';
import { createWebGpuBackend, type WebGpuBackend } from '@sepconv/webgpu';
import type * as Tf from '@tensorflow/tfjs-core';
import { loadTfjs } from '../contenders/tfjs-runner.js';
import { tfjsWebGpu } from '../contenders/tfjs-webgpu.js';
import { webGpuNodeDevice } from '../contenders/webgpu-node-device.js';
import { calibrationInputs } from './int8-calibration.js';
import type { BuiltNetwork } from './network-case.js';
import type { NetworkContender, NetworkRunner } from './network-contender.js';
import { onnxNetworkModel } from './plan-to-onnx.js';
import { onnxruntimeWebInstance } from './onnxruntime-web-instance.js';
import { onnxQuantizedNetworkModel } from './quantized-plan-to-onnx.js';
import { tfjsNetwork } from './plan-to-tfjs.js';

/** How a sepconv contender instantiates: fused or not, and whether it tunes (with its own cache, so each contender tunes for itself). */
interface SepconvSetup {
  readonly fuseSeparable?: boolean;
  readonly tuneCache?: TuneCache | undefined;
}

async function sepconvRunner(
  backend: Backend,
  network: Pick<BuiltNetwork, 'spec'> & { readonly weights: InstantiateOptions['weights']; readonly onnx?: Uint8Array | undefined },
  input: HostTensor,
  upload?: (t: HostTensor) => Tensor,
  { fuseSeparable = true, tuneCache }: SepconvSetup = {},
): Promise<NetworkRunner> {
  // A same-.onnx case reads the file here, inside the time to first result, as onnxruntime's
  // InferenceSession.create(bytes) does in its setup.
  const { spec, weights } = network.onnx ? loadOnnxModel(network.onnx) : network;
  const model = await instantiate(spec, backend, {
    weights,
    fuseSeparable,
    ...(tuneCache ? { tune: true, tuneCache } : {}),
  });
  const x = upload ? upload(input) : input;
  let last: Float32Array | undefined;
  return {
    // instantiate's tuning (inside the setup, so inside the time to first result), reported on its own.
    tuneSeconds: model.tuning && model.tuning.elapsedMs / 1000,
    async run() {
      last = onlyOutput(await model.predictAsync(x)).data;
    },
    async output() {
      if (!last) throw new Error('output() before run()');
      return last;
    },
    dispose() {
      if (x !== input) x.dispose();
      model.dispose();
    },
  };
}

/**
 * `fuseSeparable: false` runs each block as two kernels, to show what the fused separable kernel
 * is worth; `tuned` instantiates with `tune: true` (default budget), each layer's variant and
 * fusion chosen by timing them on this machine; `pipeline: false` runs the queued jobs only at
 * the flush (`CpuBackendOptions.pipeline`), to show what overlapping the host's recording with
 * the workers is worth.
 */
function sepconvCpuNetwork(threads: number, fuseSeparable = true, tuned = false, pipeline = true): NetworkContender {
  let backend: CpuBackend | undefined;
  const tuneCache = tuned ? memoryTuneCache() : undefined;
  return {
    name: `${threads === 1 ? 'sepconv-cpu' : `sepconv-cpu-${threads}t`}${fuseSeparable ? '' : '-unfused'}${tuned ? '-tuned' : ''}${pipeline ? '' : '-unpipelined'}`,
    kind: 'cpu',
    role: 'sepconv',
    threads,
    packageName: '@sepconv/cpu',
    async init() {
      backend = await createCpuBackend({ threads, pipeline });
    },
    supports: (networkCase) => (fuseSeparable && !tuned && pipeline) || networkCase.series === undefined || 'headline cases only',
    setup: (_case, network, input) => sepconvRunner(backend!, network, input, undefined, { fuseSeparable, tuneCache }),
    async close() {
      backend?.dispose();
    },
  };
}

/** sepconv on WebGPU; `tuned`: with `tune: true`, the way a real GPU gets its own variant order (the default order was measured on SwiftShader). */
function sepconvWebGpuNetwork(tuned = false): NetworkContender {
  let gpuBackend: WebGpuBackend | undefined;
  const tuneCache = tuned ? memoryTuneCache() : undefined;
  return {
    name: `sepconv-webgpu${tuned ? '-tuned' : ''}`,
    kind: 'gpu',
    role: 'sepconv',
    threads: 1,
    packageName: '@sepconv/webgpu',
    async init() {
      gpuBackend = await createWebGpuBackend({ device: await webGpuNodeDevice() });
    },
    supports: (networkCase) => !tuned || networkCase.series === undefined || 'headline cases only',
    // The input goes to the GPU once, as tfjs-webgpu's does; a run ends with the read of the result.
    setup: (_case, network, input) => sepconvRunner(gpuBackend!, network, input, (t) => gpuBackend!.upload(t), { tuneCache }),
    async close() {
      gpuBackend?.dispose();
    },
  };
}

// One quantized model per case, shared by the int8 contenders (so they run the same integers),
// deterministic: calibrated on seeded random inputs; the float calibration runs on a one-thread CPU backend.
const quantizedNetworks = new WeakMap<BuiltNetwork, Promise<QuantizedModel>>();

/** The case's network quantized with `quantizeModel` (per-channel int8 weights, bias correction on: the defaults), once per network. */
export function quantizedNetwork(network: BuiltNetwork, input: HostTensor): Promise<QuantizedModel> {
  let quantized = quantizedNetworks.get(network);
  if (!quantized) {
    quantized = (async () => {
      const backend = await createCpuBackend({ threads: 1 });
      try {
        return await quantizeModel(network.spec, network.weights, { calibration: calibrationInputs(input), backend });
      } finally {
        backend.dispose();
      }
    })();
    quantizedNetworks.set(network, quantized);
  }
  return quantized;
}

/**
 * A sepconv contender running the case's network quantized (int8 kernels, quantize at the input and
 * dequantize at the output inside each timed `predictAsync`), beside the float one on the same
 * backend; the quantization itself is reported apart from the time to first result.
 */
async function sepconvInt8Runner(
  backend: Backend,
  network: BuiltNetwork,
  input: HostTensor,
  upload?: (t: HostTensor) => Tensor,
): Promise<NetworkRunner> {
  // What this setup waited for: the whole quantization for the case's first int8 contender, nothing for the next.
  const started = performance.now();
  const quantized = await quantizedNetwork(network, input);
  const quantizeSeconds = (performance.now() - started) / 1000;
  const runner = await sepconvRunner(backend, quantized, input, upload);
  return { ...runner, quantizeSeconds };
}

/** sepconv's int8 kernels on the CPU (WebAssembly SIMD), headline cases: the anchor every int8 contender is checked against. */
function sepconvCpuInt8Network(threads: number): NetworkContender {
  let backend: CpuBackend | undefined;
  return {
    name: `${threads === 1 ? 'sepconv-cpu' : `sepconv-cpu-${threads}t`}-int8`,
    kind: 'cpu',
    role: 'sepconv',
    threads,
    dtype: 'int8',
    packageName: '@sepconv/cpu',
    async init() {
      backend = await createCpuBackend({ threads });
    },
    supports: (networkCase) => networkCase.series === undefined || 'headline cases only',
    setup: (_case, network, input) => sepconvInt8Runner(backend!, network, input),
    async close() {
      backend?.dispose();
    },
  };
}

/** sepconv's int8 programs on WebGPU (dot4I8Packed where WGSL has it), on the adapter sepconv-webgpu uses: int8 against float on one device. */
function sepconvWebGpuInt8Network(): NetworkContender {
  let gpuBackend: WebGpuBackend | undefined;
  return {
    name: 'sepconv-webgpu-int8',
    kind: 'gpu',
    role: 'sepconv',
    threads: 1,
    dtype: 'int8',
    packageName: '@sepconv/webgpu',
    async init() {
      gpuBackend = await createWebGpuBackend({ device: await webGpuNodeDevice() });
    },
    supports: (networkCase) => networkCase.series === undefined || 'headline cases only',
    // The float input goes to the GPU once, as for sepconv-webgpu; each run quantizes it there.
    setup: (_case, network, input) => sepconvInt8Runner(gpuBackend!, network, input, (t) => gpuBackend!.upload(t)),
    async close() {
      gpuBackend?.dispose();
    },
  };
}

function nchwFromNhwc(input: HostTensor): Float32Array {
  const [batch, height, width, channels] = input.shape as [number, number, number, number];
  const nchw = new Float32Array(input.size);
  for (let b = 0; b < batch; b++)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        for (let c = 0; c < channels; c++)
          nchw[((b * channels + c) * height + y) * width + x] = input.data[((b * height + y) * width + x) * channels + c]!;
  return nchw;
}

/** What makes an ONNX Runtime contender run the case's quantized network. */
interface OnnxInt8 {
  readonly checkTolerance: number;
  readonly supports: NonNullable<NetworkContender['supports']>;
}

/**
 * ONNX Runtime's int8 on the same quantized network: its QLinearConv requantizes with float
 * multipliers and rounds ties to even, where sepconv follows TensorFlow Lite's fixed-point
 * multipliers (ties away from zero). Each layer's int8 output then differs by at most 1 step,
 * and those steps compound through the network: measured on the headline cases (random seeded
 * weights), the softmax output differs by 0.8% of its largest probability on MobileNetV1
 * 1.0-224 and 9% on V2 1.0-224 (residual adds carry the differences along), top-1 the same.
 * The check allows 25% of the largest value: it catches a wrong graph (a wrong scale, zero
 * point or layout is off by far more), not the rounding.
 */
const ONNX_INT8: OnnxInt8 = {
  checkTolerance: 0.25,
  supports: (networkCase) => networkCase.series === undefined || 'headline cases only',
};

/**
 * ONNX Runtime on a case: an ONNX-file case's own bytes, otherwise the folded plan written as
 * ONNX (`onnxNetworkModel`); with `int8`, the case's quantized network (the one sepconv's int8
 * rows run) written as QDQ ONNX (`onnxQuantizedNetworkModel`). onnxruntime-web gets its own copy of the package per thread count
 * (its thread setting is global to a copy), so 1 and 2 threads run side by side.
 */
function onnxNetwork(name: string, packageName: 'onnxruntime-node' | 'onnxruntime-web', threads: number, int8?: OnnxInt8): NetworkContender {
  type Ort = typeof import('onnxruntime-node');
  let ort: Ort | undefined;
  return {
    name,
    kind: 'cpu',
    role: 'peer',
    threads,
    packageName,
    ...(int8 ? { dtype: 'int8' as const, checkTolerance: int8.checkTolerance, supports: int8.supports } : {}),
    async init() {
      ort = packageName === 'onnxruntime-web' ? (onnxruntimeWebInstance(threads) as unknown as Ort) : await import('onnxruntime-node');
    },
    async setup(networkCase, network, input) {
      const api = ort!;
      const options =
        packageName === 'onnxruntime-web'
          ? { executionProviders: ['wasm'], graphOptimizationLevel: 'all' as const }
          : {
              executionProviders: ['cpu'],
              graphOptimizationLevel: 'all' as const,
              intraOpNumThreads: threads,
              interOpNumThreads: 1,
              executionMode: 'sequential' as const,
            };
      // As for sepconv's int8 rows: the wait for the quantization (shared, once per case) is not part of the first result; writing the ONNX is, as for the float rows.
      const started = performance.now();
      const quantized = int8 ? await quantizedNetwork(network, input) : undefined;
      const quantizeSeconds = int8 ? (performance.now() - started) / 1000 : undefined;
      const bytes = quantized
        ? onnxQuantizedNetworkModel(quantized, networkCase.batch, networkCase.id)
        : (network.onnx ?? onnxNetworkModel(network.plan, networkCase.batch, networkCase.id));
      const session = await api.InferenceSession.create(bytes, options);
      const [batch, height, width, channels] = input.shape as [number, number, number, number];
      // NHWC → NCHW once, outside the timing.
      const feeds = { [session.inputNames[0]!]: new api.Tensor('float32', nchwFromNhwc(input), [batch, channels, height, width]) };
      const outputName = session.outputNames[0]!;
      let last: Float32Array | undefined;
      return {
        quantizeSeconds,
        async run() {
          const results = await session.run(feeds);
          const y = results[outputName]!;
          last = (await y.getData()) as Float32Array;
          y.dispose();
        },
        // A classifier's [batch, classes, 1, 1] (or [batch, classes]) has the element order of NHWC [batch, 1, 1, classes].
        async output() {
          if (!last) throw new Error('output() before run()');
          return last;
        },
        async dispose() {
          await session.release();
        },
      };
    },
  };
}

function tfjsNetworkContender(backendName: 'cpu' | 'wasm' | 'webgpu'): NetworkContender {
  return {
    name: `tfjs-${backendName}`,
    kind: backendName === 'webgpu' ? 'gpu' : 'cpu',
    role: 'peer',
    threads: 1,
    packageName: `@tensorflow/tfjs-backend-${backendName}`,
    async init() {
      if (backendName === 'webgpu') {
        await tfjsWebGpu.init!();
        return;
      }
      const tf = await loadTfjs();
      if (!(await tf.setBackend(backendName))) throw new Error(`tfjs could not start its ${backendName} backend`);
    },
    supports: (networkCase) =>
      networkCase.source === 'onnx'
        ? 'reads no .onnx file'
        : // tfjs-cpu takes over a second per MobileNet: the headline cases only.
          backendName !== 'cpu' || networkCase.series === undefined || 'over a second per run: headline cases only',
    async setup(networkCase, network, input) {
      const tf: typeof Tf = await loadTfjs();
      await tf.setBackend(backendName);
      const net = tfjsNetwork(tf, network.plan, networkCase.batch);
      const x = tf.tensor4d(input.data, input.shape as [number, number, number, number]);
      let last: Float32Array | undefined;
      return {
        async beforeRun() {
          if (tf.getBackend() !== backendName) await tf.setBackend(backendName);
        },
        async run() {
          const y = tf.tidy(() => net.predict(x));
          last = (await y.data()) as Float32Array;
          y.dispose();
        },
        async output() {
          if (!last) throw new Error('output() before run()');
          return last;
        },
        dispose() {
          x.dispose();
          net.dispose();
        },
      };
    },
  };
}

/** Every whole-network contender, in table order; onnxruntime-node (1 thread) is the cross-check reference. */
export const networkContenders: readonly NetworkContender[] = [
  onnxNetwork('onnxruntime-node', 'onnxruntime-node', 1),
  sepconvCpuNetwork(1),
  sepconvCpuNetwork(2),
  sepconvCpuNetwork(2, false),
  sepconvCpuNetwork(2, true, true),
  sepconvCpuNetwork(2, true, false, false),
  sepconvCpuInt8Network(1),
  sepconvCpuInt8Network(2),
  onnxNetwork('onnxruntime-node-2t', 'onnxruntime-node', 2),
  onnxNetwork('onnxruntime-web', 'onnxruntime-web', 1),
  onnxNetwork('onnxruntime-web-2t', 'onnxruntime-web', 2),
  onnxNetwork('onnxruntime-web-int8', 'onnxruntime-web', 1, ONNX_INT8),
  onnxNetwork('onnxruntime-web-int8-2t', 'onnxruntime-web', 2, ONNX_INT8),
  tfjsNetworkContender('wasm'),
  tfjsNetworkContender('cpu'),
  sepconvWebGpuNetwork(),
  sepconvWebGpuNetwork(true),
  sepconvWebGpuInt8Network(),
  tfjsNetworkContender('webgpu'),
];
