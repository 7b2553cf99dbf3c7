import { existsSync } from 'node:fs';
import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM_ARGS, CHROMIUM_PATH, CHROMIUM_WEBGPU_ARGS } from '../../chromium.shared.js';
import { sepconvVitestConfig } from '../../vitest.shared.js';

// Dawn reads these when it creates its Vulkan instance, in the worker processes this main
// process starts, so they are set here rather than in a test file (CONTRIBUTING.md, toolchain). Without a
// GPU, SwiftShader (shipped by Debian's chromium package) is the adapter.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
process.env.XDG_RUNTIME_DIR ??= '/tmp';

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
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: CHROMIUM_PATH,
                args: [...CHROMIUM_WEBGPU_ARGS, ...CHROMIUM_ARGS],
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
