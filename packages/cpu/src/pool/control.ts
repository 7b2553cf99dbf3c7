/**
 * Word offsets of the pool's control block in shared memory. The main thread writes a job's
 * ranges, sets `pending` to the number of busy workers and bumps `generation`; workers wake,
 * run their range, and count `pending` down. `failed` holds 1 + the index of a worker whose
 * kernel trapped.
 */
export const Control = {
  generation: 0,
  pending: 1,
  failed: 2,
  stop: 3,
  job: 4,
  /** Spin iterations a worker polls before it sleeps. */
  spins: 20000,
  /** Start of the `[start, end)` pairs, one per thread (index 0 is the calling thread). */
  ranges: 8,
  /** Words the block occupies: room for 56 threads. */
  words: 128,
} as const;
