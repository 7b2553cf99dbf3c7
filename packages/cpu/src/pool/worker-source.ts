import { BARRIER_SPINS, Control, runShares, StepSlot, WAIT_SLICE_MS, WORKER_SPINS } from './control.js';

/**
 * The source of a pool worker, inlined as a string so that it runs the same from the
 * TypeScript sources (tests), from the built package and in browsers (as a Blob URL), with no
 * separate file to locate. It instantiates the kernel module on the shared memory, then
 * sleeps on the control block's generation word; each wake-up joins the submission (see
 * {@link Control}), runs its share of the steps ({@link runShares}, the same function the
 * calling thread runs) through the module's `run` export and leaves by clearing its busy word.
 * A trap is recorded in the control block and the worker carries on, so one failing kernel
 * leaves the pool usable.
 */
export const workerSource = `
'use strict';
const C = ${JSON.stringify(Control)};
const SPINS = ${WORKER_SPINS};
const SHARE = { control: C, step: ${JSON.stringify(StepSlot)}, barrierSpins: ${BARRIER_SPINS}, sliceMs: ${WAIT_SLICE_MS}, canBlock: true, now: () => performance.timeOrigin + performance.now() };
const runShares = ${runShares.toString()};
function start(init, post) {
  const memory = init.memory;
  const instance = new WebAssembly.Instance(init.module, { env: { memory, abort() { throw new Error('abort'); } } });
  const run = instance.exports.run;
  const words = new Int32Array(memory.buffer, init.control, C.words);
  const index = init.index;
  let seen = Atomics.load(words, C.generation);
  post('ready');
  for (;;) {
    // Spin a little before sleeping: jobs often arrive back to back, and waking from
    // Atomics.wait costs tens of microseconds.
    for (let spin = 0; spin < SPINS && Atomics.load(words, C.generation) === seen; spin++);
    if (Atomics.load(words, C.generation) === seen) {
      // Woken without a job (ThreadPool.wake: one is being prepared): spin again.
      Atomics.wait(words, C.generation, seen);
      continue;
    }
    seen = Atomics.load(words, C.generation);
    if (Atomics.load(words, C.stop) !== 0) return;
    // Join (see Control): busy first, then check the job is still open, else back out.
    Atomics.store(words, C.busy + index, seen);
    if (Atomics.load(words, C.open) === seen && index < Atomics.load(words, C.participants)) {
      runShares(words, seen, index, run, SHARE);
    }
    Atomics.store(words, C.busy + index, 0);
    Atomics.add(words, C.signal, 1);
    Atomics.notify(words, C.signal);
  }
}
if (typeof process === 'object' && process.versions && process.versions.node) {
  const { parentPort, workerData } = require('node:worker_threads');
  start(workerData, (message) => parentPort.postMessage(message));
} else {
  self.onmessage = (event) => start(event.data, (message) => self.postMessage(message));
}
`;
