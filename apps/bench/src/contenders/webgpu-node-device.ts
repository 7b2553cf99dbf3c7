import { requestWebGpuDevice } from '@sepconv/webgpu';
import { useSwiftShaderWithoutGpu } from '../../../../swiftshader.shared.js';

/**
 * A WebGPU device for a GPU contender: Dawn (the `webgpu` package) in Node, on SwiftShader
 * when no `VK_ICD_FILENAMES` is set and the machine has no GPU device (set before Dawn's first
 * use, which is enough: Node's process.env writes through to the environment Dawn reads). Each
 * contender gets its own device on the same adapter, as two libraries in one page would.
 */
export async function webGpuNodeDevice(): Promise<GPUDevice> {
  useSwiftShaderWithoutGpu();
  return requestWebGpuDevice();
}
