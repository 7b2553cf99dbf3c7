import type { Contender } from '../contender.js';
import { setupOnnxCase } from './onnx-runner.js';

/**
 * Threads of onnxruntime-web's wasm backend. Its own default is half the logical cores
 * (capped at 4), one on this 2-core machine class; the setting is global to the process, so
 * the bench has one onnxruntime-web contender.
 */
const WEB_THREADS = 1;

/**
 * ONNX Runtime's WebAssembly build (`onnxruntime-web`, SIMD kernels), what a web page
 * that wants ONNX Runtime gets; here it runs in Node.
 */
export const onnxruntimeWeb: Contender = (() => {
  let ort: typeof import('onnxruntime-web') | undefined;
  return {
    name: 'onnxruntime-web',
    kind: 'cpu',
    role: 'peer',
    threads: WEB_THREADS,
    packageName: 'onnxruntime-web',
    async init() {
      ort = await import('onnxruntime-web');
      ort.env.wasm.numThreads = WEB_THREADS;
      ort.env.logLevel = 'error';
    },
    async setup(layerCase, inputs) {
      const api = ort;
      if (!api) throw new Error('onnxruntime-web: setup() before init()');
      return setupOnnxCase(
        {
          createSession: (model) => api.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }),
          makeTensor: (data, dims) => new api.Tensor('float32', data, dims),
        },
        layerCase,
        inputs,
      );
    },
  };
})();
