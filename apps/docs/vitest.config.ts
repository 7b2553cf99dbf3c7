import { sepconvVitestConfig, useSwiftShaderWithoutGpu } from '../../vitest.shared.js';

// The package pages' examples run in Node, the WebGPU one on Dawn: its Vulkan driver is set in
// this main process (SwiftShader without a GPU).
useSwiftShaderWithoutGpu();

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
