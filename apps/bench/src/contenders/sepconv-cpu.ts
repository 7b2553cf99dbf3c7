import type { Backend } from '@sepconv/tensor';
import type { Contender } from '../contender.js';
import { setupSepconvCase } from './sepconv-runner.js';

/**
 * `@sepconv/cpu` with `threads` workers (1: on the calling thread), its default kernel
 * selection: what `createCpuBackend({ threads })` gives a user.
 */
export function sepconvCpuContender(threads: number): Contender {
  let backend: Backend | undefined;
  return {
    name: threads === 1 ? 'sepconv-cpu' : `sepconv-cpu-${threads}t`,
    kind: 'cpu',
    role: 'sepconv',
    threads,
    packageName: '@sepconv/cpu',
    async init() {
      const { createCpuBackend } = await import('@sepconv/cpu');
      backend = await createCpuBackend({ threads });
    },
    async setup(layerCase, inputs) {
      if (!backend) throw new Error(`${threads === 1 ? 'sepconv-cpu' : `sepconv-cpu-${threads}t`}: setup() before init()`);
      return setupSepconvCase(backend, layerCase, inputs);
    },
    async close() {
      backend?.dispose();
      backend = undefined;
    },
  };
}

/** @sepconv/cpu on one thread: the contender of the issue's 1-thread targets. */
export const sepconvCpu = sepconvCpuContender(1);
/** @sepconv/cpu on two threads (a worker pool over shared memory). */
export const sepconvCpu2Threads = sepconvCpuContender(2);
