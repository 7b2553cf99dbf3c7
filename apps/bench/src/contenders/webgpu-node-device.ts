import { existsSync } from 'node:fs';
import { requestWebGpuDevice } from '@sepconv/webgpu';

// Debian's chromium package ships SwiftShader's Vulkan driver; without a GPU, Dawn finds an
// adapter only through it. Setting the variable before Dawn's first use is enough, since
// Node's process.env writes through to the real environment Dawn reads.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * A WebGPU device for a GPU contender: Dawn (the `webgpu` package) in Node, on SwiftShader
 * when no `VK_ICD_FILENAMES` is set and no other driver is configured. Each contender gets
 * its own device on the same adapter, as two libraries in one page would.
 */
export async function webGpuNodeDevice(): Promise<GPUDevice> {
  if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  return requestWebGpuDevice();
}
