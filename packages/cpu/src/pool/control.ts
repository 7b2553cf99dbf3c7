/**
 * Word offsets of the pool's control block in shared memory. For a job the main thread
 * writes its address, the split (`total` units in `chunks` chunks whose boundaries are
 * multiples of `granule`), how many threads take part, resets `next` and sets `pending` to
 * the number of workers, then bumps `generation`. Every thread, the caller included, claims
 * chunks with an atomic add on `next` until none are left — so a worker that wakes late
 * simply takes fewer — and each worker counts `pending` down. `failed` holds 1 + the index of
 * a worker whose kernel trapped.
 */
export const Control = {
  generation: 0,
  pending: 1,
  failed: 2,
  stop: 3,
  job: 4,
  total: 5,
  granule: 6,
  chunks: 7,
  next: 8,
  participants: 9,
  /** Words the block occupies. */
  words: 16,
} as const;

/** Spin iterations a worker polls for the next job before it sleeps on the generation word. */
export const WORKER_SPINS = 20_000;

/** The most threads a pool runs (the calling thread included). */
export const MAX_THREADS = 64;

/** Chunks per taking-part thread: enough that a late or slow thread costs little, few enough that claiming them is free. */
export const CHUNKS_PER_THREAD = 8;

/**
 * Start of chunk `chunk`: chunk boundaries split `units = ceil(total / granule)` evenly and
 * fall on multiples of `granule`. The worker source inlines the same arithmetic.
 */
export function chunkStart(chunk: number, chunks: number, total: number, granule: number): number {
  const units = Math.ceil(total / granule);
  return Math.min(total, Math.floor((units * chunk) / chunks) * granule);
}
