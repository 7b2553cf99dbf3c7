// fast-check against the CPU backend: random convolution geometries against the reference, and
// random option objects for every op (typed errors only). A small budget here;
// SEPCONV_FUZZ_RUNS=N for a longer run (CONTRIBUTING.md, "Fuzzing").
import { describeConvFuzz, describeOptionFuzz } from '@sepconv/conformance';
import { createCpuBackend } from '../src/index.js';

describeConvFuzz('cpu (1 thread)', () => createCpuBackend({ threads: 1 }), { numRuns: 50 });
describeConvFuzz('cpu (2 threads)', () => createCpuBackend({ threads: 2 }), { numRuns: 25 });
describeOptionFuzz('cpu', () => createCpuBackend({ threads: 1 }));
