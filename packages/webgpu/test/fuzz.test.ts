// fast-check against the WebGPU backend: random convolution geometries against the reference
// (a small budget, as an example may compile a program on SwiftShader), and random option
// objects for every op (typed errors only). SEPCONV_FUZZ_RUNS=N for a longer run
// (CONTRIBUTING.md, "Fuzzing").
import { describeConvFuzz, describeOptionFuzz } from '@sepconv/conformance';
import { createWebGpuBackend } from '../src/index.js';
import { acquireTestDevice, describeGpu } from './support/test-device.js';

const gpu = await acquireTestDevice();
const runtime = typeof navigator !== 'undefined' && navigator.gpu ? 'browser' : 'node';

describeGpu(`webgpu fuzz (${runtime})`, gpu, (device) => {
  describeConvFuzz(`webgpu (${runtime})`, () => createWebGpuBackend({ device }), { numRuns: 40 });
  describeOptionFuzz(`webgpu (${runtime})`, () => createWebGpuBackend({ device }));
});
