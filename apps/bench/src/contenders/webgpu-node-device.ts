import { existsSync, readdirSync } from 'node:fs';
import { requestWebGpuDevice } from '@sepconv/webgpu';

// Debian's chromium package ships SwiftShader's Vulkan driver; without a GPU, Dawn finds an
// adapter only through it. Setting the variable before Dawn's first use is enough, since
// Node's process.env writes through to the real environment Dawn reads.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

// A GPU the Vulkan loader reaches through the installed drivers (an NVIDIA device or a DRM
// render node): the bench must run on it, so SwiftShader is then not forced.
const hasGpuDeviceNode = (): boolean =>
  existsSync('/dev/nvidia0') || (existsSync('/dev/dri') && readdirSync('/dev/dri').some((name) => name.startsWith('renderD')));

/**
 * A WebGPU device for a GPU contender: Dawn (the `webgpu` package) in Node, on SwiftShader
 * when no `VK_ICD_FILENAMES` is set and the machine has no GPU device. Each contender gets
 * its own device on the same adapter, as two libraries in one page would.
 */
export async function webGpuNodeDevice(): Promise<GPUDevice> {
  if (process.env.VK_ICD_FILENAMES === undefined && !hasGpuDeviceNode() && existsSync(SWIFTSHADER_ICD))
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  return requestWebGpuDevice();
}
