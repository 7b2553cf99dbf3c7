import type { Contender } from '../contender.js';
import { loadTfjs, setupTfjsCase } from './tfjs-runner.js';

/**
 * TensorFlow.js's WebAssembly backend (XNNPACK kernels, SIMD build). In Node it runs on one
 * thread: its multi-threaded build needs a browser's cross-origin-isolated workers.
 */
export const tfjsWasm: Contender = {
  name: 'tfjs-wasm',
  kind: 'cpu',
  role: 'peer',
  threads: 1,
  packageName: '@tensorflow/tfjs-backend-wasm',
  async init() {
    const tf = await loadTfjs();
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not start its wasm backend');
  },
  setup: (layerCase, inputs) => setupTfjsCase('wasm', layerCase, inputs),
};
