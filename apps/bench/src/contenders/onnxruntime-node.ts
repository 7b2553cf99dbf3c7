import type { InferenceSession } from 'onnxruntime-node';
import type { Contender } from '../contender.js';
import { setupOnnxCase } from './onnx-runner.js';

/**
 * ONNX Runtime's native CPU execution provider (MLAS kernels, x86 AVX-512/AVX2) through
 * `onnxruntime-node`, the fastest engine a Node user can install. `threads` is
 * `intraOpNumThreads`; inter-op parallelism is off since every model is a chain.
 */
export function onnxruntimeNodeContender(threads: number): Contender {
  let ort: typeof import('onnxruntime-node') | undefined;
  const options: InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    // ORT's idle pool threads spin by default; interleaved, they would steal the core of the
    // contender timed next. Measured here: its own best time does not change without spinning.
    extra: { session: { intra_op: { allow_spinning: threads > 1 ? '0' : '1' } } },
  };
  return {
    name: threads === 1 ? 'onnxruntime-node' : `onnxruntime-node-${threads}t`,
    kind: 'cpu',
    role: 'peer',
    threads,
    packageName: 'onnxruntime-node',
    async init() {
      ort = await import('onnxruntime-node');
    },
    async setup(layerCase, inputs) {
      const api = ort;
      if (!api) throw new Error('onnxruntime-node: setup() before init()');
      return setupOnnxCase(
        {
          createSession: (model) => api.InferenceSession.create(model, options),
          makeTensor: (data, dims) => new api.Tensor('float32', data, dims),
        },
        layerCase,
        inputs,
      );
    },
  };
}

/** onnxruntime-node on one thread: the native kernel the 1-thread targets compare with. */
export const onnxruntimeNode = onnxruntimeNodeContender(1);
/** onnxruntime-node on two threads. */
export const onnxruntimeNode2Threads = onnxruntimeNodeContender(2);
