import { describeBackendConformance } from '@sepconv/conformance';
import { createWebGpuBackend, webGpuVariants } from '../src/index.js';
import { acquireTestDevice } from './support/test-device.js';

// One device for the file; every backend (one per forced variant) runs on it.
const gpu = await acquireTestDevice();
const runtime = typeof navigator !== 'undefined' && navigator.gpu ? 'browser' : 'node';

describeBackendConformance(
  `webgpu (${runtime})`,
  (options) => {
    if (!gpu.device) throw new Error(`no WebGPU device: ${gpu.reason}`);
    return createWebGpuBackend({ device: gpu.device, variant: options.variant });
  },
  gpu.device
    ? { variants: webGpuVariants }
    : { unavailableVariants: webGpuVariants.map((v) => ({ name: v.name, reason: `NO WEBGPU ADAPTER: ${gpu.reason}` })) },
);
