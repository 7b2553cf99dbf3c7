import { loadNodeGpu } from '@sepconv/webgpu';
import type { Contender } from '../contender.js';
import { loadTfjs, setupTfjsCase } from './tfjs-runner.js';
import { webGpuNodeDevice } from './webgpu-node-device.js';

let webGpuBackendClass: typeof import('@tensorflow/tfjs-backend-webgpu').WebGPUBackend | undefined;

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
 * Runs are `data()` after the op; timed with tfjs's GPU timestamps (`tf.time`'s kernelMs)
 * when the adapter has `timestamp-query`, like sepconv-webgpu, else wall time.
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
    const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
    webGpuBackendClass = WebGPUBackend;
    if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not start its webgpu backend');
  },
  async setup(layerCase, inputs) {
    const tf = await loadTfjs();
    const runner = await setupTfjsCase('webgpu', layerCase, inputs);
    const backend = tf.findBackend('webgpu');
    const timestamps = webGpuBackendClass !== undefined && backend instanceof webGpuBackendClass && backend.device.features.has('timestamp-query');
    if (!timestamps) return { ...runner, timing: 'wall' };
    let gpuSeconds = 0;
    return {
      ...runner,
      timing: 'gpu-timestamp',
      lastGpuSeconds: () => gpuSeconds,
      // tf.time runs its callback synchronously, so the op's dispatches (issued before run()'s
      // first await) are the ones it times, with tfjs's own timestamp queries.
      async run() {
        let done: Promise<void> | undefined;
        const info = await tf.time(() => {
          done = runner.run();
        });
        await done;
        gpuSeconds = Number(info.kernelMs) / 1000;
      },
    };
  },
};
