import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM_ARGS, chromiumBrowserMode } from '../../chromium.shared.js';
import { sepconvVitestConfig } from '../../vitest.shared.js';

export default sepconvVitestConfig('cpu', {
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          // Node 20 runs relaxed SIMD only behind this flag; with it the relaxed-SIMD variants are
          // tested too (worker threads inherit it). Newer Node versions have it on by default.
          execArgv: ['--experimental-wasm-relaxed-simd'],
        },
      },
      {
        // Not extending the shared settings: their `include` would be merged into this one's.
        // Cross-origin isolated, so the page has SharedArrayBuffer and the worker pool runs.
        server: { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
        test: {
          name: 'chromium',
          testTimeout: 60_000,
          // What Node 20 cannot run: the relaxed-dot int8 kernel, whose instruction Node 20's V8
          // computes wrongly (test/relaxed-dot.test.ts; Chromium's V8 passes the probe).
          include: ['test/relaxed-dot.test.ts'],
          browser: chromiumBrowserMode(playwright, CHROMIUM_ARGS),
        },
      },
    ],
  },
});
