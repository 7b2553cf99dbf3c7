import { BackendError } from '@sepconv/tensor';
import { CHUNKS_PER_THREAD, chunkStart, Control, MAX_THREADS } from './control.js';
import { supervisorSource } from './supervisor-source.js';
import { importNodeBuiltin } from '../import-node-builtin.js';

/** What the supervisor is handed: the kernel module, the shared memory, its control block and how many workers to start. */
interface SupervisorInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: number;
  workers: number;
}

/** What the supervisor reports (see `supervisorSource`). */
type SupervisorMessage = 'ready' | { error: string } | { died: number } | { replaced: number } | { replaceFailed: number; error: string };

/** The supervisor thread as the pool sees it, on Node's worker_threads or the Web's Worker. */
interface Supervisor {
  post(message: unknown): void;
  terminate(): void;
}

type RunShare = (job: number, start: number, end: number, thread: number) => void;

/** Bounded wait for workers: the caller rechecks at least this often (ms) even if no one wakes it. */
const WAIT_SLICE_MS = 50;

/**
 * Starts the supervisor; resolves once every worker is ready. `onMessage` gets the later
 * reports, `onExit` is called if the supervisor itself ends.
 */
async function spawnSupervisor(
  init: SupervisorInit,
  onMessage: (message: SupervisorMessage) => void,
  onExit: (reason: string) => void,
): Promise<Supervisor> {
  if (isNode()) {
    const { Worker } = await importNodeBuiltin('worker_threads');
    const worker = new Worker(supervisorSource, { eval: true, workerData: init });
    // A pool never keeps the process alive on its own; dispose() ends the workers anyway.
    worker.unref();
    await started((resolve, reject) => {
      worker.once('message', (message: SupervisorMessage) =>
        message === 'ready' ? resolve() : reject(new Error(String((message as { error?: string }).error))),
      );
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the worker pool's supervisor exited with code ${code} while starting`)));
    });
    worker.on('message', onMessage);
    worker.on('error', (error) => onExit(String(error)));
    worker.on('exit', (code) => onExit(`exit code ${code}`));
    return { post: (message) => worker.postMessage(message), terminate: () => void worker.terminate() };
  }
  const url = URL.createObjectURL(new Blob([supervisorSource], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  await started((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<SupervisorMessage>) =>
      event.data === 'ready' ? resolve() : reject(new Error(String((event.data as { error?: string }).error)));
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(init);
  });
  worker.onmessage = (event: MessageEvent<SupervisorMessage>) => onMessage(event.data);
  worker.onerror = (event) => onExit(event.message);
  return { post: (message) => worker.postMessage(message), terminate: () => worker.terminate() };
}

function started(executor: (resolve: () => void, reject: (error: unknown) => void) => void): Promise<void> {
  return new Promise<void>(executor);
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/**
 * A fixed number of workers over one shared WebAssembly.Memory. `run()` splits a job among
 * the calling thread (share 0) and the workers, and returns once every share is done, so
 * kernels stay synchronous as the `Backend` interface requires. Signalling goes through
 * Atomics on a control block in the same memory, not messages: a message round trip costs
 * more than a small kernel. A supervisor thread watches the workers for the pool's whole life
 * (see {@link Control}): a worker that dies fails the call it was working on with a
 * BackendError, within milliseconds, and is replaced; one that dies while idle is simply
 * replaced, the calling thread taking its share meanwhile. `run()` never waits unboundedly.
 */
export class ThreadPool {
  private readonly words: Int32Array;
  private disposed = false;
  /** Why the pool cannot run jobs any more (its supervisor ended), if it cannot. */
  private broken: string | undefined;
  private readonly waiters = new Set<(message: SupervisorMessage) => void>();
  private supervisor: Supervisor | undefined;

  private constructor(
    private readonly workers: number,
    memory: WebAssembly.Memory,
    control: number,
    private readonly runShare: RunShare,
  ) {
    this.words = new Int32Array(memory.buffer, control, Control.words);
  }

  /** Threads that run a job, the calling thread included. */
  get threads(): number {
    return this.workers + 1;
  }

  /**
   * Starts `threads - 1` workers under a supervisor. `control` is the address of
   * {@link Control.words} free words in `memory`; `runShare` is the calling thread's own
   * instance of the module.
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
    const pool = new ThreadPool(threads - 1, memory, control, runShare);
    pool.supervisor = await spawnSupervisor(
      { module, memory, control, workers: threads - 1 },
      (message) => pool.heard(message),
      (reason) => pool.supervisorEnded(reason),
    );
    return pool;
  }

  /**
   * Runs `job` over `[0, total)` in chunks whose boundaries are multiples of `granule`, on at
   * most `maxThreads` threads that claim chunks as they come (see {@link Control}). Throws a
   * BackendError naming `op` when any chunk's kernel fails or a worker dies during the job;
   * the pool stays usable.
   */
  run(op: string, job: number, total: number, granule: number, maxThreads = this.threads): void {
    if (this.disposed) throw new BackendError(op, 'backend', 'the backend has been disposed');
    if (this.broken !== undefined)
      throw new BackendError(op, 'backend', `the CPU backend's worker pool has stopped (${this.broken}); create a new backend`);
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
    // Generation 0 (after 2^32 jobs) reads as "closed": workers skip that one job, which the caller then runs alone.
    const generation = (Atomics.load(words, Control.generation) + 1) | 0;
    Atomics.store(words, Control.open, generation);
    Atomics.store(words, Control.generation, generation);
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
    Atomics.store(words, Control.open, 0);
    this.waitForWorkers(generation, threads);
    if (Atomics.load(words, Control.lostJob) === generation) {
      const worker = Atomics.load(words, Control.lostWorker);
      throw new BackendError(
        op,
        'worker',
        `worker ${worker} of the CPU backend's pool died during the call, leaving the output unfinished; it is being replaced, so the next call can run`,
      );
    }
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

  /**
   * Test hook: has the supervisor terminate worker `index` (1-based), at once or once it is busy
   * in a job; resolves with what the supervisor reports after the death (`replaced` or
   * `replaceFailed`).
   * @internal
   */
  terminateWorker(index: number, whenBusy = false): Promise<SupervisorMessage> {
    return new Promise((resolve) => {
      const waiter = (message: SupervisorMessage) => {
        if (typeof message === 'object' && ('replaced' in message || 'replaceFailed' in message)) {
          this.waiters.delete(waiter);
          resolve(message);
        }
      };
      this.waiters.add(waiter);
      this.supervisor?.post({ terminate: index, whenBusy });
    });
  }

  private heard(message: SupervisorMessage): void {
    for (const waiter of [...this.waiters]) waiter(message);
  }

  /** The supervisor ended (its workers with it): calls from now on fail. Never runs during a call, which holds the event loop. */
  private supervisorEnded(reason: string): void {
    if (!this.disposed) this.broken ??= reason;
  }

  private runOwnShare(op: string, job: number, start: number, end: number): void {
    try {
      this.runShare(job, start, end, 0);
    } catch (error) {
      throw new BackendError(op, 'kernel', `the kernel failed on the calling thread: ${String(error)}`);
    }
  }

  /** True when no worker of `threads - 1` taking part is still busy in job `generation`. */
  private workersDone(generation: number, threads: number): boolean {
    for (let index = 1; index < threads; index++) {
      if (Atomics.load(this.words, Control.busy + index) === generation) return false;
    }
    return true;
  }

  private waitForWorkers(generation: number, threads: number): void {
    const words = this.words;
    // Spin first: shares are balanced, so the workers finish within microseconds of us.
    for (let spin = 0; spin < 100_000; spin++) {
      if (this.workersDone(generation, threads)) return;
    }
    // Then sleep on `signal`, which every leaving worker and the supervisor (for a dead one)
    // bump; the slice bounds each sleep so a missed wake-up costs a slice, never a hang.
    const canBlock = isNode() || typeof (globalThis as { document?: unknown }).document === 'undefined';
    for (;;) {
      const signal = Atomics.load(words, Control.signal);
      if (this.workersDone(generation, threads)) return;
      if (canBlock) Atomics.wait(words, Control.signal, signal, WAIT_SLICE_MS);
    }
  }

  /** Ends the workers and their supervisor; later `run()` calls throw. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.words, Control.stop, 1);
    Atomics.add(this.words, Control.generation, 1);
    Atomics.notify(this.words, Control.generation);
    this.supervisor?.terminate();
  }
}
