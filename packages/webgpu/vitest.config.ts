import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM_ARGS, CHROMIUM_WEBGPU_ARGS, chromiumBrowserMode } from '../../chromium.shared.js';
import { sepconvVitestConfig, useSwiftShaderWithoutGpu } from '../../vitest.shared.js';

// The node project runs on Dawn: its Vulkan driver is set in this main process (SwiftShader without a GPU).
useSwiftShaderWithoutGpu();

// CI sets SEPCONV_REQUIRE_GPU=1: a missing adapter then fails the run instead of being reported as not run.
const requireGpu = process.env.SEPCONV_REQUIRE_GPU === '1';

export default sepconvVitestConfig('webgpu', {
  test: {
    // A first use of each program compiles it: about a second on SwiftShader, more on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          provide: { requireGpu },
        },
      },
      {
        extends: true,
        test: {
          name: 'chromium',
          // Every test file again in a real browser's WebGPU (navigator.gpu on SwiftShader, headless):
          // the conformance cases, the program snapshots and the runtime tests.
          provide: { requireGpu },
          browser: chromiumBrowserMode(playwright, [...CHROMIUM_WEBGPU_ARGS, ...CHROMIUM_ARGS]),
        },
      },
    ],
  },
});
