import { BackendError } from '@sepconv/tensor';
import { CHUNKS_PER_THREAD, chunkStart, Control, MAX_THREADS } from './control.js';
import { workerSource } from './worker-source.js';

/** What a pool worker is handed: the kernel module, the shared memory and its place. */
interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: number;
  index: number;
}

/** The two kinds of worker the pool drives: Node's worker_threads and the Web's Worker. */
interface PoolWorker {
  terminate(): void;
}

type RunShare = (job: number, start: number, end: number, thread: number) => void;

async function spawnNode(init: WorkerInit): Promise<PoolWorker> {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(workerSource, { eval: true, workerData: init });
  // A pool never keeps the process alive on its own; dispose() ends the workers anyway.
  worker.unref();
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} while starting`)));
  });
  return {
    terminate: () => {
      void worker.terminate();
    },
  };
}

async function spawnWeb(init: WorkerInit): Promise<PoolWorker> {
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  await new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(init);
  });
  return worker;
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/**
 * A fixed set of workers over one shared WebAssembly.Memory. `run()` splits a job among
 * the calling thread (share 0) and the workers, and returns once every share is done, so
 * kernels stay synchronous as the `Backend` interface requires. Signalling goes through
 * Atomics on a control block in the same memory, not messages: a message round trip costs
 * more than a small kernel.
 */
export class ThreadPool {
  private readonly words: Int32Array;
  private disposed = false;

  private constructor(
    private readonly workers: readonly PoolWorker[],
    memory: WebAssembly.Memory,
    control: number,
    private readonly runShare: RunShare,
  ) {
    this.words = new Int32Array(memory.buffer, control, Control.words);
  }

  /** Threads that run a job, the calling thread included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Starts `threads - 1` workers. `control` is the address of {@link Control.words} free
   * words in `memory`; `runShare` is the calling thread's own instance of the module.
   */
  static async create(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    control: number,
    threads: number,
    runShare: RunShare,
  ): Promise<ThreadPool> {
    if (threads > MAX_THREADS) throw new BackendError('createCpuBackend', 'options.threads', `at most ${MAX_THREADS} threads, got ${threads}`);
    new Int32Array(memory.buffer, control, Control.words).fill(0);
    const spawn = isNode() ? spawnNode : spawnWeb;
    const workers = await Promise.all(
      Array.from({ length: threads - 1 }, (_, i) => spawn({ module, memory, control, index: i + 1 })),
    );
    return new ThreadPool(workers, memory, control, runShare);
  }

  /**
   * Runs `job` over `[0, total)` in chunks whose boundaries are multiples of `granule`, on at
   * most `maxThreads` threads that claim chunks as they come (see {@link Control}). Throws a
   * BackendError naming `op` when any chunk's kernel fails; the pool stays usable.
   */
  run(op: string, job: number, total: number, granule: number, maxThreads = this.threads): void {
    if (this.disposed) throw new BackendError(op, 'backend', 'the backend has been disposed');
    const units = Math.ceil(total / granule);
    const threads = Math.max(1, Math.min(maxThreads, this.threads, units));
    if (threads === 1) {
      this.runOwnShare(op, job, 0, total);
      return;
    }
    const words = this.words;
    const chunks = Math.min(units, threads * CHUNKS_PER_THREAD);
    Atomics.store(words, Control.job, job);
    Atomics.store(words, Control.total, total);
    Atomics.store(words, Control.granule, granule);
    Atomics.store(words, Control.chunks, chunks);
    Atomics.store(words, Control.next, 0);
    Atomics.store(words, Control.participants, threads);
    Atomics.store(words, Control.failed, 0);
    Atomics.store(words, Control.pending, this.workers.length);
    Atomics.add(words, Control.generation, 1);
    Atomics.notify(words, Control.generation);
    let ownError: unknown;
    try {
      for (let chunk = Atomics.add(words, Control.next, 1); chunk < chunks; chunk = Atomics.add(words, Control.next, 1)) {
        this.runShare(job, chunkStart(chunk, chunks, total, granule), chunkStart(chunk + 1, chunks, total, granule), 0);
      }
    } catch (error) {
      ownError = error;
      // Leave no chunk unclaimed that a worker would still start after we report.
      Atomics.store(words, Control.next, chunks);
    }
    this.waitForWorkers();
    const failed = Atomics.load(words, Control.failed);
    if (ownError !== undefined || failed !== 0) {
      const who = ownError !== undefined ? 'the calling thread' : `worker ${failed - 1}`;
      throw new BackendError(op, 'kernel', `the kernel failed on ${who}: ${String(ownError ?? 'trap in a worker')}`);
    }
  }

  /**
   * Wakes sleeping workers without giving them work, so that they are spinning, ready, by the
   * time the job being prepared (inputs copied in, weights packed) is submitted: waking from
   * Atomics.wait costs tens of microseconds, which would otherwise delay the workers' start.
   */
  wake(): void {
    if (!this.disposed) Atomics.notify(this.words, Control.generation);
  }

  private runOwnShare(op: string, job: number, start: number, end: number): void {
    try {
      this.runShare(job, start, end, 0);
    } catch (error) {
      throw new BackendError(op, 'kernel', `the kernel failed on the calling thread: ${String(error)}`);
    }
  }

  private waitForWorkers(): void {
    const words = this.words;
    // Spin first: shares are balanced, so the workers finish within microseconds of us.
    for (let spin = 0; spin < 1_000_000; spin++) {
      if (Atomics.load(words, Control.pending) === 0) return;
    }
    const canBlock = isNode() || typeof (globalThis as { document?: unknown }).document === 'undefined';
    for (;;) {
      const pending = Atomics.load(words, Control.pending);
      if (pending === 0) return;
      if (canBlock) Atomics.wait(words, Control.pending, pending, 100);
    }
  }

  /** Ends the workers; later `run()` calls throw. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.words, Control.stop, 1);
    Atomics.add(this.words, Control.generation, 1);
    Atomics.notify(this.words, Control.generation);
    for (const worker of this.workers) worker.terminate();
  }
}
