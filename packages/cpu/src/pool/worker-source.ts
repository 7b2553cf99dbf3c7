import { chunkStart, Control, WORKER_SPINS } from './control.js';

/**
 * The source of a pool worker, inlined as a string so that it runs the same from the
 * TypeScript sources (tests), from the built package and in browsers (as a Blob URL), with no
 * separate file to locate. It instantiates the kernel module on the shared memory, then
 * sleeps on the control block's generation word; each wake-up joins the job (see
 * {@link Control}), claims chunks, runs them through the module's `run` export and leaves by
 * clearing its busy word. A trap is recorded in the control block and the worker carries on,
 * so one failing kernel leaves the pool usable.
 */
export const workerSource = `
'use strict';
const C = ${JSON.stringify(Control)};
const SPINS = ${WORKER_SPINS};
const chunkStart = ${chunkStart.toString()};
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
      const job = Atomics.load(words, C.job);
      const total = Atomics.load(words, C.total);
      const granule = Atomics.load(words, C.granule);
      const chunks = Atomics.load(words, C.chunks);
      try {
        for (let chunk = Atomics.add(words, C.next, 1); chunk < chunks; chunk = Atomics.add(words, C.next, 1)) {
          run(job, chunkStart(chunk, chunks, total, granule), chunkStart(chunk + 1, chunks, total, granule), index);
        }
      } catch (error) {
        Atomics.store(words, C.failed, index + 1);
      }
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
