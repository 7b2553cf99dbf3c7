import type { CpuBackend } from '@sepconv/cpu';
import type { CaseInputs } from '../cases/case-inputs.js';
import type { LayerCase } from '../cases/layer-case.js';
import type { Contender, PreparedRunner } from '../contender.js';
import { setupSepconvCase } from './sepconv-runner.js';

/**
 * Sets up a case on a CPU backend the way the peers hold their inputs: the input is copied
 * into the backend's memory once, here, with `upload()` (tfjs-wasm creates its input tensor in
 * its heap in set-up; onnxruntime-node binds the host buffer in set-up), so a timed run is
 * the op itself plus `read()` of the output — what tfjs's timed `y.data()` and ONNX Runtime's
 * timed output copy also include. Weights are packed in the warm-up, as every peer does.
 */
export async function setupSepconvCpuCase(backend: CpuBackend, layerCase: LayerCase, inputs: CaseInputs): Promise<PreparedRunner> {
  const x = backend.upload(inputs.x);
  const runner = await setupSepconvCase(backend, layerCase, inputs, x);
  return {
    ...runner,
    async dispose() {
      await runner.dispose();
      x.dispose();
    },
  };
}

/**
 * `@sepconv/cpu` with `threads` workers (1: on the calling thread), its default kernel
 * selection: what `createCpuBackend({ threads })` gives a user, the input made resident once
 * (see {@link setupSepconvCpuCase}).
 */
export function sepconvCpuContender(threads: number): Contender {
  let backend: CpuBackend | undefined;
  const name = threads === 1 ? 'sepconv-cpu' : `sepconv-cpu-${threads}t`;
  return {
    name,
    kind: 'cpu',
    role: 'sepconv',
    threads,
    packageName: '@sepconv/cpu',
    async init() {
      const { createCpuBackend } = await import('@sepconv/cpu');
      backend = await createCpuBackend({ threads });
    },
    async setup(layerCase, inputs) {
      if (!backend) throw new Error(`${name}: setup() before init()`);
      return setupSepconvCpuCase(backend, layerCase, inputs);
    },
    async close() {
      backend?.dispose();
      backend = undefined;
    },
  };
}

/** @sepconv/cpu on one thread: the contender of the project's 1-thread targets. */
export const sepconvCpu = sepconvCpuContender(1);
/** @sepconv/cpu on two threads (a worker pool over shared memory). */
export const sepconvCpu2Threads = sepconvCpuContender(2);
