import { sepconvVitestConfig } from '../../vitest.shared.js';

// The end-to-end tests drive one headless Chromium against the built site; files run one at a
// time so two browsers never compete for the CI machine's two cores.
export default sepconvVitestConfig('docs', {
  test: {
    globalSetup: ['test/serve-site.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
