import { existsSync } from 'node:fs';
import { sepconvVitestConfig } from '../../vitest.shared.js';

// The end-to-end tests also run on @sepconv/webgpu: Dawn reads these when it creates its
// Vulkan instance in the worker processes, so they are set here (CONTRIBUTING.md, toolchain). Without a GPU,
// SwiftShader (shipped by Debian's chromium package) is the adapter.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
process.env.XDG_RUNTIME_DIR ??= '/tmp';

export default sepconvVitestConfig('mobilenet', {
  test: {
    // Whole networks at 224×224 against TensorFlow.js's CPU backend take seconds per run.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
