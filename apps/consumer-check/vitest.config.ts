import { sepconvVitestConfig } from '../../vitest.shared.js';

// Packing, npm install, tsc, Vite and Chromium each take seconds on a loaded 2-core machine.
export default sepconvVitestConfig('consumer-check', {
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
