import { BackendError, UnsupportedError } from '@sepconv/tensor';
import { loadNodeGpu } from './node-gpu.js';

/** Where {@link requestWebGpuDevice} gets its device from. */
export interface RequestWebGpuDeviceOptions {
  /** Use this adapter instead of requesting one. */
  adapter?: GPUAdapter | undefined;
  /** Use this `GPU` object (e.g. from another WebGPU implementation); default `navigator.gpu`, or Dawn in Node. */
  gpu?: Pick<GPU, 'requestAdapter'> | undefined;
  /** Passed to `requestAdapter`; default `'high-performance'`. */
  powerPreference?: GPUPowerPreference | undefined;
}

// The adapter's own limits rather than WebGPU's defaults: real layers exceed the default
// 128 MiB storage binding (e.g. batch 32 at 112×112×64), and the device can do more.
const RAISED_LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupStorageSize'] as const;

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/**
 * The `GPU` object of this runtime: `navigator.gpu` in browsers (and Deno), Dawn through
 * the optional `webgpu` package in Node.
 * @throws UnsupportedError when the runtime has no WebGPU.
 */
export async function defaultGpu(op = 'createWebGpuBackend'): Promise<GPU> {
  if (typeof navigator !== 'undefined' && navigator.gpu) return navigator.gpu;
  if (isNode()) return loadNodeGpu(op);
  throw new UnsupportedError(
    op,
    'options.device',
    'this runtime has no WebGPU (navigator.gpu is undefined); use a browser with WebGPU or pass options.device',
  );
}

/**
 * Requests a device for sepconv: the adapter's storage and workgroup-memory limits, and
 * `timestamp-query` when the adapter has it (the benchmark uses it). In Node this uses
 * Dawn (`webgpu` package) and keeps its `GPU` object alive for the process.
 * @throws BackendError when no adapter is found or the device request fails.
 * @throws UnsupportedError when the runtime has no WebGPU at all.
 */
export async function requestWebGpuDevice(options: RequestWebGpuDeviceOptions = {}, op = 'requestWebGpuDevice'): Promise<GPUDevice> {
  let adapter = options.adapter;
  if (!adapter) {
    const gpu = options.gpu ?? (await defaultGpu(op));
    const found = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
    if (!found) {
      throw new BackendError(
        op,
        'adapter',
        'requestAdapter() found no WebGPU adapter; without a GPU, Dawn in Node needs VK_ICD_FILENAMES pointing at a Vulkan driver such as SwiftShader, and Chromium needs --enable-unsafe-webgpu --use-webgpu-adapter=swiftshader',
      );
    }
    adapter = found;
  }
  const requiredLimits: Record<string, number> = {};
  for (const limit of RAISED_LIMITS) requiredLimits[limit] = adapter.limits[limit];
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  try {
    return await adapter.requestDevice({ label: 'sepconv', requiredLimits, requiredFeatures });
  } catch (error) {
    throw new BackendError(op, 'adapter', `requestDevice() failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
