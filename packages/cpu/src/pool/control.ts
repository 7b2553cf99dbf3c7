/** The most threads a pool runs (the calling thread included). */
export const MAX_THREADS = 64;

/**
 * Word offsets of the pool's control block in shared memory. For a job the calling thread
 * writes its address and split (`total` units in `chunks` chunks whose boundaries are multiples
 * of `granule`), how many threads take part, resets `next`, sets `open` to the job's generation
 * and bumps `generation`. A worker joins by writing that generation to its `busy` word and then
 * checking that the job is still `open` (and backs out otherwise): with sequentially consistent
 * atomics either the caller sees the worker busy or the worker sees the job closed, so a worker
 * that wakes late never reads the next job's parameters. Every thread, the caller included,
 * claims chunks with an atomic add on `next` until none are left — a late or dead worker simply
 * takes none — then the caller closes the job (`open` = 0) and waits, on `signal`, for the busy
 * words that still hold the generation. Each worker clears its busy word and bumps `signal`
 * when done. `failed` holds 1 + the index of a worker whose kernel trapped.
 *
 * Workers are started and watched by a supervisor thread, whose event loop is never blocked:
 * when a worker exits (crash, `terminate()`, killed by the browser) the supervisor records the
 * generation it was busy in as `lostJob` (its index in `lostWorker`), clears its busy word,
 * bumps `signal` — so a caller blocked on the job wakes and fails with a BackendError — and
 * starts a replacement.
 */
export const Control = {
  generation: 0,
  open: 1,
  failed: 2,
  stop: 3,
  job: 4,
  total: 5,
  granule: 6,
  chunks: 7,
  next: 8,
  participants: 9,
  signal: 10,
  lostJob: 11,
  lostWorker: 12,
  /** Worker `i`'s busy word is at `busy + i` (index 0, the calling thread, has none). */
  busy: 16,
  /** Words the block occupies. */
  words: 16 + MAX_THREADS,
} as const;

/** Spin iterations a worker polls for the next job before it sleeps on the generation word. */
export const WORKER_SPINS = 20_000;

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
