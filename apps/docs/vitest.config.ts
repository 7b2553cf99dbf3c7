import { existsSync } from 'node:fs';
import { sepconvVitestConfig } from '../../vitest.shared.js';

// The package pages' examples run in Node, the WebGPU one on Dawn. Dawn reads these when it
// creates its Vulkan instance in the workers this main process starts, so they are set here
// (CONTRIBUTING.md, toolchain); without a GPU, SwiftShader (shipped by Debian's chromium) is the adapter.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
process.env.XDG_RUNTIME_DIR ??= '/tmp';

// The end-to-end tests drive one headless Chromium against the built site; files run one at a
// time so two browsers never compete for the CI machine's two cores.
export default sepconvVitestConfig('docs', {
  test: {
    globalSetup: ['test/serve-site.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Pages hydrate and components compute after `load`; on a busy CI machine that takes seconds.
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
});
