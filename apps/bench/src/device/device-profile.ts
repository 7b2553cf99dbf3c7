import { Worker } from 'node:worker_threads';
import wabt from 'wabt';
import type { DeviceProfileEntry, MeasuredDeviceProfile } from '../results.js';
import { flopsPerIteration, PEAK_CHAIN_COUNTS, peakFlopsWat } from './peak-flops-wat.js';
import { int8OpsPerIteration, peakInt8Wat } from './peak-int8-wat.js';
import { PROFILE_WORKER_SOURCE } from './profile-worker-source.js';

/** Assembles the peak loop on `chains` accumulators; `relaxed` needs relaxed-SIMD in the runtime (see {@link relaxedSimdSupported}). */
export async function peakFlopsModule(relaxed: boolean, chains: number): Promise<Uint8Array<ArrayBuffer>> {
  return assemble('peak-flops.wat', peakFlopsWat(relaxed, chains), relaxed);
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
  return WebAssembly.validate(await peakFlopsModule(true, PEAK_CHAIN_COUNTS[0]));
}

/** Runs `task` on `threads` workers at once; `flops` runs the `peak` loop of `wasm`, doing `opsPerIteration` operations per iteration (`copy` ignores both). */
async function measureInWorkers(task: 'flops' | 'copy', threads: number, seconds: number, wasm: Uint8Array, opsPerIteration = 0): Promise<number> {
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

interface FlopsLoop {
  readonly relaxed: boolean;
  readonly chains: number;
  readonly wasm: Uint8Array;
}

/** Every peak loop worth trying here: relaxed SIMD (where the runtime has it) and plain, on each of PEAK_CHAIN_COUNTS chains. */
async function flopsLoops(relaxed: boolean): Promise<FlopsLoop[]> {
  const loops: FlopsLoop[] = [];
  for (const isRelaxed of relaxed ? [true, false] : [false]) {
    for (const chains of PEAK_CHAIN_COUNTS) loops.push({ relaxed: isRelaxed, chains, wasm: await peakFlopsModule(isRelaxed, chains) });
  }
  return loops;
}

/** The fastest of `loops` on `threads` threads, each given `seconds`, and its rate. */
async function fastestLoop(loops: readonly FlopsLoop[], threads: number, seconds: number): Promise<{ loop: FlopsLoop; rate: number }> {
  let best: { loop: FlopsLoop; rate: number } | undefined;
  for (const loop of loops) {
    const rate = await measureInWorkers('flops', threads, seconds, loop.wasm, flopsPerIteration(loop.chains));
    if (!best || rate > best.rate) best = { loop, rate };
  }
  return best!;
}

const loopName = (loop: FlopsLoop): string =>
  `${loop.relaxed ? 'relaxed-SIMD f32x4.relaxed_madd' : 'SIMD128 f32x4.mul + f32x4.add'} on ${loop.chains} chains`;

/**
 * Measures the roofline inputs of this machine for each thread count: peak FLOP/s of a
 * WebAssembly SIMD multiply-add loop (the fastest of relaxed-SIMD FMA, where the runtime has it,
 * and plain multiply then add, each on 8 to 24 independent accumulators: the count that hides
 * the latency depends on the core and the engine's registers, see `PEAK_CHAIN_COUNTS`; the
 * fastest on the fewest threads is used for every thread count), peak int8 OP/s of a
 * dot-product loop (the 16-bit `i32x4.dot_i16x8_s`, or relaxed SIMD's int8 dot where the
 * runtime has it and it is faster) and memory bandwidth of a large copy, each on that many
 * worker threads at once.
 * @param threadCounts thread counts to profile, e.g. `[1, 2]`.
 * @param seconds measuring time of each figure and of each candidate loop (the best ~5 ms chunk within it counts).
 */
export async function measureDeviceProfile(threadCounts: readonly number[], seconds: number): Promise<MeasuredDeviceProfile> {
  const relaxed = await relaxedSimdSupported();
  const candidates = await flopsLoops(relaxed);
  // Both int8 loops where relaxed SIMD exists: Node 20's flag-gated relaxed dot measured slower
  // than the plain 16-bit one here (81 against 93 GOP/s), so the peak is the faster of the two.
  const int8Loops = [
    { relaxed: false, wasm: await peakInt8Module(false) },
    ...(relaxed ? [{ relaxed: true, wasm: await peakInt8Module(true) }] : []),
  ];
  const entries: DeviceProfileEntry[] = [];
  let chosen: FlopsLoop | undefined;
  for (const threads of [...new Set(threadCounts)].sort((a, b) => a - b)) {
    const previous = entries[entries.length - 1];
    let rate: number;
    if (chosen) {
      rate = await measureInWorkers('flops', threads, seconds, chosen.wasm, flopsPerIteration(chosen.chains));
    } else {
      const fastest = await fastestLoop(candidates, threads, seconds);
      chosen = fastest.loop;
      rate = fastest.rate;
    }
    // More threads can always leave some idle, so a figure below the previous thread count's
    // is another process's doing on a shared machine, not the hardware: keep the larger.
    const peakFlops = Math.max(rate, previous?.peakFlops ?? 0);
    const memoryBandwidth = Math.max(await measureInWorkers('copy', threads, seconds, chosen.wasm), previous?.memoryBandwidth ?? 0);
    let peakInt8Ops = previous?.peakInt8Ops ?? 0;
    for (const loop of int8Loops) {
      peakInt8Ops = Math.max(peakInt8Ops, await measureInWorkers('flops', threads, seconds, loop.wasm, int8OpsPerIteration(loop.relaxed)));
    }
    entries.push({ threads, peakFlops, memoryBandwidth, peakInt8Ops });
  }
  return {
    entries,
    method:
      `peak: the fastest WebAssembly multiply-add loop (${relaxed ? 'relaxed-SIMD f32x4.relaxed_madd and ' : ''}SIMD128 f32x4.mul + f32x4.add, ` +
      `each on ${PEAK_CHAIN_COUNTS.join('/')} independent f32x4 chains), here ${chosen ? loopName(chosen) : 'none'}, ` +
      `best ~5 ms chunk within ${seconds}s per loop and thread; int8 peak: SIMD128 i32x4.dot_i16x8_s + i32x4.add (8 multiply-adds per instruction)` +
      `${relaxed ? ' or relaxed-SIMD i32x4.relaxed_dot_i8x16_i7x16_add_s (16), the faster,' : ''} a multiply-add counted as 2 ops, on 12 chains and the same chunks; ` +
      `bandwidth: Float64Array copy of 64 MiB, bytes read + written, best copy within ${seconds}s per thread; ` +
      'threads measured at the same time and summed; a figure below that of fewer threads is raised to it',
  };
}

/** The profile entry for `threads`, or the largest one below it when that count was not measured. */
export function profileFor(profile: MeasuredDeviceProfile, threads: number): DeviceProfileEntry {
  const candidates = profile.entries.filter((e) => e.threads <= threads);
  return candidates[candidates.length - 1] ?? profile.entries[0]!;
}
