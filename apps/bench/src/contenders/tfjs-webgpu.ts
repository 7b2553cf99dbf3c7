import { loadNodeGpu } from '@sepconv/webgpu';
import type { Contender } from '../contender.js';
import { loadTfjs, setupTfjsCase } from './tfjs-runner.js';
import { webGpuNodeDevice } from './webgpu-node-device.js';

interface DawnModule {
  globals: object;
}

/**
 * Gives Node what tfjs-backend-webgpu looks for in a browser: `navigator.gpu` (Dawn's `GPU`,
 * the one `@sepconv/webgpu` keeps alive, so both engines share the adapter) and the WebGPU
 * constant objects (`GPUBufferUsage`, `GPUMapMode`, …) as globals.
 */
async function installNavigatorGpu(): Promise<void> {
  await webGpuNodeDevice().then((device) => device.destroy()); // sets the driver variables first
  const gpu = await loadNodeGpu();
  const dawn: DawnModule = await import('webgpu');
  Object.assign(globalThis, dawn.globals);
  const scope: { navigator?: { gpu?: GPU } } = globalThis;
  if (scope.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
  else if (scope.navigator.gpu === undefined) Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true });
}

/**
 * TensorFlow.js's WebGPU backend on the same adapter as sepconv-webgpu (Dawn in Node, on
 * SwiftShader without a GPU), registered by its own package once `navigator.gpu` exists.
 * Runs are `data()` after the op: submit to readback, like sepconv-webgpu's.
 */
export const tfjsWebGpu: Contender = {
  name: 'tfjs-webgpu',
  kind: 'gpu',
  role: 'peer',
  threads: 1,
  packageName: '@tensorflow/tfjs-backend-webgpu',
  async init() {
    await installNavigatorGpu();
    const tf = await loadTfjs();
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not start its webgpu backend');
  },
  setup: (layerCase, inputs) => setupTfjsCase('webgpu', layerCase, inputs),
};
