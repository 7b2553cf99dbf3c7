import { sepconvVitestConfig } from '../../vitest.shared.js';

export default sepconvVitestConfig('cpu', {
  test: {
    // Node 20 runs relaxed SIMD only behind this flag; with it the relaxed-SIMD variants are
    // tested too (worker threads inherit it). Newer Node versions have it on by default.
    execArgv: ['--experimental-wasm-relaxed-simd'],
  },
});
