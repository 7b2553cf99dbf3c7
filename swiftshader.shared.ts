/**
 * Where Dawn (WebGPU in Node) finds a Vulkan adapter on a machine without a GPU: the vitest configs
 * that run WebGPU and the bench's WebGPU contenders share this. Dependency-free (Node built-ins only),
 * so code outside the test setup can import it.
 */
import { existsSync, readdirSync } from 'node:fs';

/** The Vulkan driver file of SwiftShader, shipped by Debian's `chromium` package. */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Whether this machine has a GPU the Vulkan loader can reach (an NVIDIA device, or a DRM render
 * node): then Dawn finds it through the installed drivers, and pointing `VK_ICD_FILENAMES` at
 * SwiftShader would hide it.
 */
export function hasGpuDeviceNode(): boolean {
  if (existsSync('/dev/nvidia0')) return true;
  try {
    return readdirSync('/dev/dri').some((name) => name.startsWith('renderD'));
  } catch {
    return false;
  }
}

/**
 * For a config whose tests run WebGPU in Node (Dawn): Dawn reads `VK_ICD_FILENAMES` and
 * `XDG_RUNTIME_DIR` when it creates its Vulkan instance, in the worker processes the config's
 * main process starts (or, in the bench, before Dawn's first use), so they are set there, never in a test file (CONTRIBUTING.md,
 * toolchain). Without a GPU ({@link hasGpuDeviceNode}), SwiftShader is the adapter; values already set are kept.
 */
export function useSwiftShaderWithoutGpu(): void {
  if (process.env.VK_ICD_FILENAMES === undefined && !hasGpuDeviceNode() && existsSync(SWIFTSHADER_ICD))
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
}
