import { sepconvVitestConfig, useSwiftShaderWithoutGpu } from '../../vitest.shared.js';

// The end-to-end tests also run on @sepconv/webgpu (Dawn): its Vulkan driver is set in this main
// process (SwiftShader without a GPU).
useSwiftShaderWithoutGpu();

export default sepconvVitestConfig('mobilenet', {
  test: {
    // Whole networks at 224×224 against TensorFlow.js's CPU backend take seconds per run.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
