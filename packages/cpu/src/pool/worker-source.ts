import { Control } from './control.js';

/**
 * The source of a pool worker, inlined as a string so that it runs the same from the
 * TypeScript sources (tests), from the built package and in browsers (as a Blob URL), with no
 * separate file to locate. It instantiates the kernel module on the shared memory, then
 * sleeps on the control block's generation word; each wake-up runs its share of the job
 * through the module's `run` export and counts down `pending`. A trap is recorded in the
 * control block and the worker carries on, so one failing kernel leaves the pool usable.
 */
export const workerSource = `
'use strict';
const C = ${JSON.stringify(Control)};
function start(init, post) {
  const memory = init.memory;
  const instance = new WebAssembly.Instance(init.module, { env: { memory, abort() { throw new Error('abort'); } } });
  const words = new Int32Array(memory.buffer, init.control, C.words);
  const index = init.index;
  let seen = Atomics.load(words, C.generation);
  post('ready');
  for (;;) {
    // Spin a little before sleeping: jobs often arrive back to back, and waking from
    // Atomics.wait costs tens of microseconds.
    for (let spin = 0; spin < C.spins && Atomics.load(words, C.generation) === seen; spin++);
    Atomics.wait(words, C.generation, seen);
    seen = Atomics.load(words, C.generation);
    if (Atomics.load(words, C.stop) !== 0) return;
    const first = Atomics.load(words, C.ranges + 2 * index);
    const end = Atomics.load(words, C.ranges + 2 * index + 1);
    if (first < end) {
      try {
        instance.exports.run(Atomics.load(words, C.job), first, end, index);
      } catch (error) {
        Atomics.store(words, C.failed, index + 1);
      }
    }
    if (Atomics.sub(words, C.pending, 1) === 1) Atomics.notify(words, C.pending);
  }
}
if (typeof require === 'function' && typeof self === 'undefined') {
  const { parentPort, workerData } = require('node:worker_threads');
  start(workerData, (message) => parentPort.postMessage(message));
} else {
  self.onmessage = (event) => start(event.data, (message) => self.postMessage(message));
}
`;
