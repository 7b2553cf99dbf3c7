/**
 * The device-profile worker, as plain JavaScript evaluated by `worker_threads` (so it runs
 * the same under tsx, vitest and a built bundle, with no loader). It prepares its task,
 * reports `ready`, waits on a shared flag so that every worker starts at the same moment,
 * measures for `seconds`, and posts its best rate.
 *
 * - `flops`: the wasm `peak` loop in chunks of about 5 ms; rate = FLOPs / time of the best chunk.
 * - `copy`: `Float64Array.prototype.set` between two 64 MiB buffers (bigger than any
 *   last-level cache here), counting bytes read plus bytes written, as STREAM's copy does.
 */
export const PROFILE_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { task, seconds, wasm, flopsPerIteration, start } = workerData;
const flag = new Int32Array(start);
let measure;
if (task === 'flops') {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), {});
  const peak = instance.exports.peak;
  let iterations = 1000;
  // Calibrate to ~5 ms chunks: long enough to hide timer resolution, short enough that an
  // interruption by another process spoils one chunk, not the measurement.
  for (;;) {
    const t0 = performance.now();
    peak(iterations, 0.999, 0.001);
    if (performance.now() - t0 > 5 || iterations > 1e9) break;
    iterations *= 2;
  }
  measure = () => {
    const t0 = performance.now();
    peak(iterations, 0.999, 0.001);
    return (iterations * flopsPerIteration) / ((performance.now() - t0) / 1000);
  };
} else {
  const n = (64 * 1024 * 1024) / 8;
  const source = new Float64Array(n).fill(1);
  const target = new Float64Array(n).fill(2);
  measure = () => {
    const t0 = performance.now();
    target.set(source);
    return (2 * n * 8) / ((performance.now() - t0) / 1000);
  };
}
measure();
parentPort.postMessage({ ready: true });
Atomics.wait(flag, 0, 0);
let bestRate = 0;
const end = performance.now() + seconds * 1000;
do {
  const rate = measure();
  if (rate > bestRate) bestRate = rate;
} while (performance.now() < end);
parentPort.postMessage({ rate: bestRate });
`;
