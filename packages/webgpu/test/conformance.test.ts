import { describeBackendConformance } from '@sepconv/conformance';
import { createWebGpuBackend, webGpuQuantizedVariants, webGpuVariants } from '../src/index.js';
import { hasPackedIntegerDot } from '../src/wgsl-language-features.js';
import { acquireTestDevice, describeGpu } from './support/test-device.js';

// One device for the file; every backend (one per forced variant) runs on it. Without an
// adapter the file reports, in a skipped test's title, that conformance did not run (and with
// SEPCONV_REQUIRE_GPU=1, as in CI, acquiring the device fails the file instead).
const gpu = await acquireTestDevice();
const packedDot = await hasPackedIntegerDot();
const runtime = typeof navigator !== 'undefined' && navigator.gpu ? 'browser' : 'node';

describeGpu(`webgpu conformance (${runtime})`, gpu, (device) => {
  describeBackendConformance(`webgpu (${runtime})`, (options) => createWebGpuBackend({ device, variant: options.variant }), {
    variants: webGpuVariants,
    // Every int8 variant forced in turn; the dot4I8Packed rows only where WGSL has the feature (reported otherwise).
    int8Variants: webGpuQuantizedVariants.filter((v) => !v.packedDot || packedDot),
    unavailableVariants: webGpuQuantizedVariants
      .filter((v) => v.packedDot && !packedDot)
      .map((v) => ({ name: v.name, reason: "this runtime's WGSL lacks packed_4x8_integer_dot_product" })),
    memory: (backend) => backend.memory().liveBytes,
  });
});
