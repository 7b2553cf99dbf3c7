import { loadNodeGpu } from './node-gpu.js';
import { requestWebGpuDevice, type RequestWebGpuDeviceOptions } from './request-webgpu-device.js';

/**
 * A Dawn device for Node (the optional `webgpu` package); the `GPU` object behind it is kept
 * alive for the process, which Dawn requires. Same as {@link requestWebGpuDevice} with the
 * Node `GPU`.
 */
export async function createNodeGpuDevice(options: Omit<RequestWebGpuDeviceOptions, 'gpu'> = {}): Promise<GPUDevice> {
  return requestWebGpuDevice({ ...options, gpu: await loadNodeGpu('createNodeGpuDevice') }, 'createNodeGpuDevice');
}
