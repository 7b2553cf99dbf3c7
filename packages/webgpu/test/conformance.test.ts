import { describeBackendConformance } from '@sepconv/conformance';
import { createWebGpuBackend, webGpuVariants } from '../src/index.js';
import { acquireTestDevice, describeGpu } from './support/test-device.js';

// One device for the file; every backend (one per forced variant) runs on it. Without an
// adapter the file reports, in a skipped test's title, that conformance did not run (and with
// SEPCONV_REQUIRE_GPU=1, as in CI, acquiring the device fails the file instead).
const gpu = await acquireTestDevice();
const runtime = typeof navigator !== 'undefined' && navigator.gpu ? 'browser' : 'node';

describeGpu(`webgpu conformance (${runtime})`, gpu, (device) => {
  describeBackendConformance(`webgpu (${runtime})`, (options) => createWebGpuBackend({ device, variant: options.variant }), {
    variants: webGpuVariants,
    memory: (backend) => backend.memory().liveBytes,
  });
});
