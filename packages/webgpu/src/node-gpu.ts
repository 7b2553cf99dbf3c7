import { UnsupportedError } from '@sepconv/tensor';
import { defaultXdgRuntimeDir } from './default-xdg-runtime-dir.js';

// Dawn crashes the process mid-dispatch if the GPU object that created a device is garbage
// collected, so the one instance per process stays referenced here for the process's life.
let keptGpu: GPU | undefined;

interface WebGpuModule {
  create(flags: string[]): GPU;
}

function isWebGpuModule(value: unknown): value is WebGpuModule {
  return typeof value === 'object' && value !== null && typeof (value as Partial<WebGpuModule>).create === 'function';
}

/**
 * The `GPU` object of Node's `webgpu` package (Dawn), created once and kept alive for the
 * process. `webgpu` is an optional peer dependency; without it this throws.
 * On machines without a GPU, point `VK_ICD_FILENAMES` at a Vulkan software driver
 * (SwiftShader: `/usr/lib/chromium/vk_swiftshader_icd.json`) before the first call. On Linux
 * an unset `XDG_RUNTIME_DIR` is set to the temp folder first (see {@link defaultXdgRuntimeDir}).
 * @throws UnsupportedError when the `webgpu` package cannot be loaded.
 */
export async function loadNodeGpu(op = 'createWebGpuBackend'): Promise<GPU> {
  if (keptGpu !== undefined) return keptGpu;
  // A computed specifier keeps browser bundlers from trying to bundle the Node-only addon.
  const specifier = 'webgpu';
  defaultXdgRuntimeDir();
  let loaded: unknown;
  try {
    loaded = await import(/* @vite-ignore */ specifier);
  } catch (error) {
    throw new UnsupportedError(
      op,
      'options.device',
      `there is no navigator.gpu and the optional peer dependency 'webgpu' (Dawn for Node) could not be loaded: ${error instanceof Error ? error.message : String(error)}. Install it (npm i webgpu) or pass options.device`,
    );
  }
  if (!isWebGpuModule(loaded)) {
    throw new UnsupportedError(op, 'options.device', `the 'webgpu' package does not export create(); expected webgpu ^0.6`);
  }
  keptGpu = loaded.create([]);
  return keptGpu;
}
