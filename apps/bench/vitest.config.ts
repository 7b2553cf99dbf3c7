import { sepconvVitestConfig } from '../../vitest.shared.js';

// The quick bench starts real engines (tfjs-wasm, two ONNX Runtimes, worker threads for the
// device profile; the quick bench runs as a CLI in a hook): give it room on a busy 2-core CI
// machine. It asserts structure, never speed.
export default sepconvVitestConfig('bench', { test: { testTimeout: 120_000, hookTimeout: 300_000 } });
