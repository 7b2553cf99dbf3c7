import { describeBackendConformance } from '@sepconv/conformance';
import { createCpuBackend } from '../src/index.js';

// Default dispatch on 2 threads with every job split (parallelThreshold 0), so the small
// conformance shapes exercise the worker pool's row splitting too.
describeBackendConformance('cpu (2 threads)', () => createCpuBackend({ threads: 2, parallelThreshold: 0 }), {
  randomCases: 100,
});
