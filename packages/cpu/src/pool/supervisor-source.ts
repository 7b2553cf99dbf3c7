import { Control } from './control.js';
import { workerSource } from './worker-source.js';

/**
 * The source of the pool's supervisor thread, inlined like {@link workerSource} (which it
 * embeds). The calling thread blocks or spins synchronously while a job runs, so its event
 * loop cannot hear that a worker exited; the supervisor's event loop is always free. It starts
 * the workers (nested workers: `worker_threads` in Node, dedicated workers in browsers), and
 * when one exits it marks the job the worker was busy in as lost and wakes the caller (see
 * {@link Control}), then starts a replacement in the same place unless the pool is stopping.
 *
 * Messages: in, `{ module, memory, control, workers }` (Node: as workerData) and, for tests,
 * `{ terminate: index, whenBusy }` (terminate that worker, once it is busy in a job if
 * `whenBusy`); out, `'ready'` or `{ error }` once at start, then `{ died: index }` and
 * `{ replaced: index }` or `{ replaceFailed: index, error }`.
 */
export const supervisorSource = `
'use strict';
const C = ${JSON.stringify(Control)};
const WORKER_SOURCE = ${JSON.stringify(workerSource)};
const isNode = typeof process === 'object' && process.versions && process.versions.node;
let spawnWorker;
if (isNode) {
  const { Worker } = require('node:worker_threads');
  spawnWorker = (init, onReady, onExit) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: init });
    worker.once('message', onReady);
    // 'error' is followed by 'exit': report the exit only.
    worker.on('error', () => {});
    worker.once('exit', onExit);
    return { terminate: () => void worker.terminate() };
  };
} else {
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  spawnWorker = (init, onReady, onExit) => {
    const worker = new Worker(url);
    let exited = false;
    const exit = () => { if (!exited) { exited = true; onExit(); } };
    worker.onmessage = () => onReady();
    // A dedicated worker has no exit event: an uncaught error is its end; terminate() is ours.
    worker.onerror = (event) => { event.preventDefault(); worker.terminate(); exit(); };
    worker.postMessage(init);
    return { terminate: () => { worker.terminate(); exit(); } };
  };
}
function supervise(init, post) {
  let started = false;
  let ready = 0;
  const words = new Int32Array(init.memory.buffer, init.control, C.words);
  const workers = [];
  const spawn = (index, onReady) => {
    const init1 = { module: init.module, memory: init.memory, control: init.control, index };
    workers[index] = spawnWorker(init1, onReady, () => lost(index));
  };
  const lost = (index) => {
    const job = Atomics.load(words, C.busy + index);
    if (job !== 0) {
      Atomics.store(words, C.lostWorker, index);
      Atomics.store(words, C.lostJob, job);
      Atomics.store(words, C.busy + index, 0);
    }
    Atomics.add(words, C.signal, 1);
    Atomics.notify(words, C.signal);
    if (!started) { post({ error: 'worker ' + index + ' exited while starting' }); return; }
    post({ died: index });
    if (Atomics.load(words, C.stop) !== 0) return;
    try {
      spawn(index, () => post({ replaced: index }));
    } catch (error) {
      post({ replaceFailed: index, error: String(error) });
    }
  };
  for (let index = 1; index <= init.workers; index++) {
    spawn(index, () => {
      if (++ready === init.workers) { started = true; post('ready'); }
    });
  }
  return (message) => {
    const target = workers[message.terminate];
    if (!target) return;
    const kill = () => {
      if (message.whenBusy && Atomics.load(words, C.busy + message.terminate) === 0) setTimeout(kill, 1);
      else target.terminate();
    };
    kill();
  };
}
if (isNode) {
  const { parentPort, workerData } = require('node:worker_threads');
  const onMessage = supervise(workerData, (message) => parentPort.postMessage(message));
  parentPort.on('message', onMessage);
} else {
  let onMessage;
  self.onmessage = (event) => {
    if (onMessage) onMessage(event.data);
    else onMessage = supervise(event.data, (message) => self.postMessage(message));
  };
}
`;
