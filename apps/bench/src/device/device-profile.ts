import { Worker } from 'node:worker_threads';
import wabt from 'wabt';
import type { DeviceProfileEntry, MeasuredDeviceProfile } from '../results.js';
import { FLOPS_PER_ITERATION, peakFlopsWat } from './peak-flops-wat.js';
import { int8OpsPerIteration, peakInt8Wat } from './peak-int8-wat.js';
import { PROFILE_WORKER_SOURCE } from './profile-worker-source.js';

/** Assembles the peak loop; `relaxed` needs relaxed-SIMD in the runtime (see {@link relaxedSimdSupported}). */
export async function peakFlopsModule(relaxed: boolean): Promise<Uint8Array<ArrayBuffer>> {
  return assemble('peak-flops.wat', peakFlopsWat(relaxed), relaxed);
}

/** Assembles the int8 peak loop (see `peakInt8Wat`); `relaxed` as for {@link peakFlopsModule}. */
export async function peakInt8Module(relaxed: boolean): Promise<Uint8Array<ArrayBuffer>> {
  return assemble('peak-int8.wat', peakInt8Wat(relaxed), relaxed);
}

async function assemble(name: string, wat: string, relaxed: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const toolkit = await wabt();
  const module = toolkit.parseWat(name, wat, { simd: true, relaxed_simd: relaxed });
  try {
    module.validate();
    // A copy owned by this realm: wabt's buffer is a view into its own wasm heap.
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** Whether this runtime compiles relaxed-SIMD code (current browsers do; Node 20 only behind a flag). */
export async function relaxedSimdSupported(): Promise<boolean> {
  return WebAssembly.validate(await peakFlopsModule(true));
}

/** Runs `task` on `threads` workers at once; `flops` runs the `peak` loop of `wasm`, doing `opsPerIteration` operations per iteration. */
async function measureInWorkers(
  task: 'flops' | 'copy',
  threads: number,
  seconds: number,
  wasm: Uint8Array,
  opsPerIteration = FLOPS_PER_ITERATION,
): Promise<number> {
  const start = new SharedArrayBuffer(4);
  const workers = Array.from(
    { length: threads },
    () => new Worker(PROFILE_WORKER_SOURCE, { eval: true, workerData: { task, seconds, wasm, flopsPerIteration: opsPerIteration, start } }),
  );
  try {
    const rates = workers.map(
      (worker) =>
        new Promise<number>((resolve, reject) => {
          worker.on('message', (message: { ready?: boolean; rate?: number }) => {
            if (message.rate !== undefined) resolve(message.rate);
          });
          worker.on('error', reject);
          worker.on('exit', (code) => reject(new Error(`device profile worker exited with code ${code} before reporting`)));
        }),
    );
    await Promise.all(workers.map((worker) => new Promise<void>((resolve) => worker.once('message', () => resolve()))));
    const flag = new Int32Array(start);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    // Threads measured together, so the sum is what they sustain at once (shared caches and
    // memory controller included), not one thread's rate times the count.
    return (await Promise.all(rates)).reduce((sum, rate) => sum + rate, 0);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/**
 * Measures the roofline inputs of this machine for each thread count: peak FLOP/s of a
 * WebAssembly SIMD multiply-add loop (relaxed-SIMD FMA when the runtime has it, since that is
 * the best sepconv's kernels can issue), peak int8 OP/s of a dot-product loop (the 16-bit
 * `i32x4.dot_i16x8_s`, or relaxed SIMD's int8 dot where the runtime has it and it is faster) and memory bandwidth
 * of a large copy, each on that many worker threads at once.
 * @param threadCounts thread counts to profile, e.g. `[1, 2]`.
 * @param seconds measuring time of each figure (the best ~5 ms chunk within it counts).
 */
export async function measureDeviceProfile(threadCounts: readonly number[], seconds: number): Promise<MeasuredDeviceProfile> {
  const relaxed = await relaxedSimdSupported();
  const wasm = await peakFlopsModule(relaxed);
  // Both int8 loops where relaxed SIMD exists: Node 20's flag-gated relaxed dot measured slower
  // than the plain 16-bit one here (81 against 93 GOP/s), so the peak is the faster of the two.
  const int8Loops = [
    { relaxed: false, wasm: await peakInt8Module(false) },
    ...(relaxed ? [{ relaxed: true, wasm: await peakInt8Module(true) }] : []),
  ];
  const entries: DeviceProfileEntry[] = [];
  for (const threads of [...new Set(threadCounts)].sort((a, b) => a - b)) {
    const previous = entries[entries.length - 1];
    // More threads can always leave some idle, so a figure below the previous thread count's
    // is another process's doing on a shared machine, not the hardware: keep the larger.
    const peakFlops = Math.max(await measureInWorkers('flops', threads, seconds, wasm), previous?.peakFlops ?? 0);
    const memoryBandwidth = Math.max(await measureInWorkers('copy', threads, seconds, wasm), previous?.memoryBandwidth ?? 0);
    let peakInt8Ops = previous?.peakInt8Ops ?? 0;
    for (const loop of int8Loops) {
      peakInt8Ops = Math.max(peakInt8Ops, await measureInWorkers('flops', threads, seconds, loop.wasm, int8OpsPerIteration(loop.relaxed)));
    }
    entries.push({ threads, peakFlops, memoryBandwidth, peakInt8Ops });
  }
  return {
    entries,
    method:
      `peak: WebAssembly ${relaxed ? 'relaxed-SIMD f32x4.relaxed_madd' : 'SIMD128 f32x4.mul + f32x4.add'} on ${FLOPS_PER_ITERATION / 8} independent f32x4 chains, ` +
      `best ~5 ms chunk within ${seconds}s per thread; int8 peak: SIMD128 i32x4.dot_i16x8_s + i32x4.add (8 multiply-adds per instruction)` +
      `${relaxed ? ' or relaxed-SIMD i32x4.relaxed_dot_i8x16_i7x16_add_s (16), the faster,' : ''} a multiply-add counted as 2 ops, on the same chains and chunks; ` +
      `bandwidth: Float64Array copy of 64 MiB, bytes read + written, best copy within ${seconds}s per thread; ` +
      'threads measured at the same time and summed; a figure below that of fewer threads is raised to it',
  };
}

/** The profile entry for `threads`, or the largest one below it when that count was not measured. */
export function profileFor(profile: MeasuredDeviceProfile, threads: number): DeviceProfileEntry {
  const candidates = profile.entries.filter((e) => e.threads <= threads);
  return candidates[candidates.length - 1] ?? profile.entries[0]!;
}
