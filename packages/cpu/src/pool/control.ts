/** The most threads a pool runs (the calling thread included). */
export const MAX_THREADS = 64;

/** The most steps one submission holds; a longer queue is submitted in parts. */
export const MAX_STEPS = 256;

/**
 * Word offsets of a step's row in the step table: the job record's address, its split (`total`
 * units in `chunks` chunks whose boundaries are multiples of `granule`) and `done`, the chunks
 * finished so far, which is the barrier the next step waits on. A row is one cache line, so
 * the `done` counters threads bump do not share a line with the rows other threads read.
 */
export const StepSlot = {
  job: 0,
  total: 1,
  granule: 2,
  chunks: 3,
  done: 4,
  /**
   * While the submission is profiled (`Control.profile`), a float64 (two words, 8-byte
   * aligned): when the step's last chunk finished, in ms on the shared clock
   * `performance.timeOrigin + performance.now()`, written by the thread that finished it.
   */
  stamp: 8,
  /** Words a row occupies. */
  words: 16,
} as const;

/**
 * Word offsets of the pool's control block in shared memory, followed by the step table. A
 * submission is a sequence of steps (kernel jobs) run in order with a barrier between
 * consecutive steps, so a whole queue of kernel calls costs one wake-up and one wait however
 * many layers it holds. The calling thread resets `next`, `chunks`, `sealed` and `failed`,
 * writes how many threads take part, sets `open` to the submission's generation and bumps
 * `generation`; then it publishes steps — a row of the step table, then `chunks`, the chunks of
 * the steps published so far, raised — possibly while the workers already run the first ones
 * (the caller records a model's later layers meanwhile), and sets `sealed` after the last. A worker joins by writing that generation to
 * its `busy` word and then checking that the submission is still `open` (and backs out
 * otherwise): with sequentially consistent atomics either the caller sees the worker busy or
 * the worker sees the submission closed, so a worker that wakes late never reads the next
 * submission's parameters. Every thread, the caller included, runs {@link runShares}: it claims
 * chunks with an atomic add on `next` — one counter over the chunks of every step, in step
 * order; a claim past the published chunks waits for more, or for `sealed`, which ends the
 * thread's share — and before running a chunk of step `s` waits until step `s − 1`'s `done`
 * equals its chunks. A late or dead worker simply takes no chunk. Then the caller closes the submission
 * (`open` = 0) and waits, on `signal`, for the busy words that still hold the generation. Each
 * worker clears its busy word and bumps `signal` when done; so does whoever finishes a step.
 * `failed` holds 1 + the index of a thread whose kernel threw (0 the caller), `failedStep` the
 * step it was in; a failure makes every thread stop claiming and leave its barrier.
 *
 * Workers are started and watched by a supervisor thread, whose event loop is never blocked:
 * when a worker exits (crash, `terminate()`, killed by the browser) the supervisor records the
 * generation it was busy in as `lostJob` (its index in `lostWorker`), clears its busy word,
 * bumps `signal` — so threads blocked in the submission wake and leave, and the caller fails
 * with a BackendError — and starts a replacement.
 */
export const Control = {
  generation: 0,
  open: 1,
  failed: 2,
  stop: 3,
  steps: 4,
  chunks: 5,
  failedStep: 6,
  /** 1 while a submission is profiled: each step's finishing thread writes its row's `stamp`. */
  profile: 7,
  /** 1 once the caller has published the submission's last step (see {@link runShares}). */
  sealed: 8,
  participants: 9,
  signal: 10,
  lostJob: 11,
  lostWorker: 12,
  /** The chunk counter every thread adds to: a cache line of its own, away from the words they only read. */
  next: 16,
  /** Worker `i`'s busy word is at `busy + i` (index 0, the calling thread, has none). */
  busy: 32,
  /** The step table: {@link MAX_STEPS} rows of {@link StepSlot.words} words. */
  table: 32 + MAX_THREADS,
  /** Words the block and the table occupy. */
  words: 32 + MAX_THREADS + MAX_STEPS * StepSlot.words,
} as const;

/** Spin iterations a worker polls for the next submission before it sleeps on the generation word. */
export const WORKER_SPINS = 20_000;

/**
 * Spin iterations a thread polls a barrier before it sleeps on `signal` (a fraction of a
 * millisecond). On an idle machine a barrier wait is at most one chunk of the previous step, or
 * one small unsplit step — tens of microseconds, less than waking from Atomics.wait costs — so
 * spinning covers it. On a busy one the thread being waited for may be descheduled for
 * milliseconds, and a waiter that keeps spinning takes the CPU it needs: with 200k spins,
 * MobileNetV1 1.0-224 on 2 threads ran 2× slower than on 1 at load average 17 on 2 cores
 * (medians 268–297 ms against 131–265), with 20k or 2k it ran level with 1 thread.
 */
export const BARRIER_SPINS = 20_000;

/** Bounded wait: a thread asleep in a submission rechecks at least this often (ms) even if no one wakes it. */
export const WAIT_SLICE_MS = 50;

/** Chunks per taking-part thread: enough that a late or slow thread costs little, few enough that claiming them is free. */
export const CHUNKS_PER_THREAD = 8;

/**
 * Chunks a step of `units` units (granules) splits into on `threads` threads (more than one):
 * up to {@link CHUNKS_PER_THREAD} per thread, preferring a count that is a multiple of
 * `threads` and divides `units`, so every chunk is the same size and each thread can take as
 * many. 28 rows on 2 threads (a 28×28 fused separable layer) split into 16 chunks of 1 or 2
 * rows, so whichever thread claimed more 2-row chunks finished up to a chunk late; 14 chunks
 * of 2 rows leave neither thread a larger share. Falls back to the most chunks when no such
 * count lies within a factor 2 of it.
 */
export function chunkCount(units: number, threads: number): number {
  const most = Math.min(units, threads * CHUNKS_PER_THREAD);
  for (let chunks = most - (most % threads); chunks * 2 >= most && chunks > 0; chunks -= threads) {
    if (units % chunks === 0) return chunks;
  }
  return most;
}

/**
 * Start of chunk `chunk`: chunk boundaries split `units = ceil(total / granule)` evenly and
 * fall on multiples of `granule`.
 */
export function chunkStart(chunk: number, chunks: number, total: number, granule: number): number {
  const units = Math.ceil(total / granule);
  return Math.min(total, Math.floor((units * chunk) / chunks) * granule);
}

/** What {@link runShares} needs besides the memory: the layouts and spin counts above (workers get them as data). */
export interface ShareConstants {
  readonly control: typeof Control;
  readonly step: typeof StepSlot;
  readonly barrierSpins: number;
  readonly sliceMs: number;
  /** Whether this thread may block in Atomics.wait (not a browser's main thread). */
  readonly canBlock: boolean;
  /** The clock profiled steps are stamped with, the same on every thread: `performance.timeOrigin + performance.now()`. */
  readonly now: () => number;
}

/** The clock of {@link ShareConstants.now}: ms, comparable across the pool's threads (each has its own `performance.now()` origin). */
export function sharedClock(): number {
  return performance.timeOrigin + performance.now();
}

/** Runs one chunk: the job record at `job` over units `[start, end)` on thread `thread`. */
export type RunShare = (job: number, start: number, end: number, thread: number) => void;

/**
 * One thread's part of submission `generation` (see {@link Control}): claims chunks until none
 * are left, waiting at each step's barrier, and stops early when a thread failed or a worker
 * died. A kernel that throws is recorded in `failed`/`failedStep` and its error returned (the
 * caller rethrows its own). The worker source inlines this function's text, so it refers to
 * nothing but its parameters.
 */
export function runShares(words: Int32Array, generation: number, thread: number, run: RunShare, k: ShareConstants): unknown {
  const C = k.control;
  const S = k.step;
  let total = Atomics.load(words, C.chunks);
  let row = C.table;
  let first = 0;
  let chunks = 0;
  for (let chunk = Atomics.add(words, C.next, 1); ; chunk = Atomics.add(words, C.next, 1)) {
    // A thread failed: the rest of the submission is left undone (the caller reports it).
    if (Atomics.load(words, C.failed) !== 0) return undefined;
    if (chunk >= total) {
      // Past the published steps: wait for the caller to publish more, or to seal the
      // submission (then nothing is left for this thread). The claim stays ours either way.
      for (let spin = 0; ; spin++) {
        const signal = Atomics.load(words, C.signal);
        const sealed = Atomics.load(words, C.sealed) !== 0;
        total = Atomics.load(words, C.chunks);
        if (chunk < total) break;
        if (sealed || Atomics.load(words, C.failed) !== 0 || Atomics.load(words, C.lostJob) === generation) return undefined;
        if (spin >= k.barrierSpins && k.canBlock) Atomics.wait(words, C.signal, signal, k.sliceMs);
      }
    }
    if (chunks === 0) chunks = Atomics.load(words, row + S.chunks);
    let moved = false;
    while (chunk >= first + chunks) {
      first += chunks;
      row += S.words;
      chunks = Atomics.load(words, row + S.chunks);
      moved = true;
    }
    if (moved) {
      // The barrier: every chunk of the previous step finished (each of those waited on its own).
      const previous = row - S.words;
      const needed = Atomics.load(words, previous + S.chunks);
      for (let spin = 0; ; spin++) {
        const signal = Atomics.load(words, C.signal);
        if (Atomics.load(words, previous + S.done) >= needed) break;
        if (Atomics.load(words, C.failed) !== 0 || Atomics.load(words, C.lostJob) === generation) return undefined;
        if (spin >= k.barrierSpins && k.canBlock) Atomics.wait(words, C.signal, signal, k.sliceMs);
      }
    }
    const stepTotal = Atomics.load(words, row + S.total);
    const granule = Atomics.load(words, row + S.granule);
    const units = Math.ceil(stepTotal / granule);
    const index = chunk - first;
    const start = Math.min(stepTotal, Math.floor((units * index) / chunks) * granule);
    const end = Math.min(stepTotal, Math.floor((units * (index + 1)) / chunks) * granule);
    try {
      run(Atomics.load(words, row + S.job), start, end, thread);
    } catch (error) {
      Atomics.store(words, C.failedStep, (row - C.table) / S.words);
      Atomics.store(words, C.failed, thread + 1);
      Atomics.add(words, C.signal, 1);
      Atomics.notify(words, C.signal);
      return error;
    }
    // Read before the chunk counts as done, so a step's stamp precedes every chunk of the next
    // (a thread descheduled after its add would otherwise stamp its step after the next one).
    const stamp = Atomics.load(words, C.profile) !== 0 ? k.now() : 0;
    if (Atomics.add(words, row + S.done, 1) === chunks - 1) {
      // Published to the caller by the busy words it waits on, like the outputs themselves.
      if (stamp !== 0) new Float64Array(words.buffer, words.byteOffset + (row + S.stamp) * 4, 1)[0] = stamp;
      Atomics.add(words, C.signal, 1);
      Atomics.notify(words, C.signal);
    }
  }
}
