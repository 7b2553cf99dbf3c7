import { BackendError } from '@sepconv/tensor';
import {
  BARRIER_SPINS,
  chunkCount,
  Control,
  MAX_STEPS,
  MAX_THREADS,
  runShares,
  sharedClock,
  StepSlot,
  WAIT_SLICE_MS,
  type RunShare,
  type ShareConstants,
} from './control.js';
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

/** One kernel job of a submission: the job record at `job` over `[0, total)` in multiples of `granule`. */
export interface PoolStep {
  /** The operation that recorded it, named by the error if it fails. */
  readonly op: string;
  readonly job: number;
  readonly total: number;
  readonly granule: number;
  /** The most threads worth splitting it over (1: one chunk, run whole by one thread). */
  readonly threads: number;
  /** Multiply-adds (or their equivalent) it computes, which decided `threads`; profiles report it. */
  readonly work?: number;
}

/** How one step of a profiled run went (see {@link ThreadPool.run}). */
export interface StepTiming {
  /** Chunks it was split into: 1 when one thread ran it whole. */
  readonly chunks: number;
  /** From the end of the previous step (the submission's start for the first) to its own end: its barrier wait included. */
  readonly ms: number;
  /** Its end on the pool's shared clock (`performance.timeOrigin + performance.now()`, ms). */
  readonly end: number;
}

/** Why a submission stopped: the step that failed (steps before it are complete, it and those after are not) and the error to report. */
export interface PoolFailure {
  readonly step: number;
  readonly error: BackendError;
}

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

/**
 * Runs every step whole on the calling thread, in order (a pool with nothing to share, or no
 * pool); returns the first that failed, its message saying `where` (e.g. ' on the calling thread'). With `timings`, appends
 * each completed step's time.
 */
export function runInOrder(steps: readonly PoolStep[], runShare: RunShare, where: string, timings?: StepTiming[]): PoolFailure | undefined {
  for (const [index, step] of steps.entries()) {
    const start = timings ? sharedClock() : 0;
    try {
      runShare(step.job, 0, step.total, 0);
    } catch (error) {
      return { step: index, error: new BackendError(step.op, 'kernel', `the kernel failed${where}: ${String(error)}`) };
    }
    if (timings) {
      const end = sharedClock();
      timings.push({ chunks: 1, ms: end - start, end });
    }
  }
  return undefined;
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/**
 * A fixed number of workers over one shared WebAssembly.Memory. `run()` splits a sequence of
 * jobs among the calling thread (share 0) and the workers, a barrier between consecutive jobs,
 * and returns once every share is done, so the caller stays synchronous. Signalling goes through
 * Atomics on a control block in the same memory, not messages: a message round trip costs
 * more than a small kernel. A supervisor thread watches the workers for the pool's whole life
 * (see {@link Control}): a worker that dies fails the submission it was working on with a
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
  /** The open submission (see {@link begin}): its generation, each published step's chunks, their sum, its start (profiled). */
  private current: { generation: number; chunks: number[]; total: number; start: number | undefined } | undefined;
  /** A browser page's main thread may not block in Atomics.wait: it spins instead. */
  private readonly shareConstants: ShareConstants = {
    control: Control,
    step: StepSlot,
    barrierSpins: BARRIER_SPINS,
    sliceMs: WAIT_SLICE_MS,
    canBlock: isNode() || typeof (globalThis as { document?: unknown }).document === 'undefined',
    now: sharedClock,
  };

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
   * Runs `steps` in order, each split into chunks that the calling thread and the workers claim
   * as they come, with a barrier between consecutive steps (see {@link Control}): one wake-up
   * and one wait for the whole sequence. Returns undefined when every step completed, else the
   * first step that did not and a BackendError naming its op (a kernel that failed, a worker
   * that died); the pool stays usable either way. Throws a BackendError when the pool is
   * disposed or stopped. With `timings`, each completed step's split and time are appended to it
   * (a profile: one clock read per step, by the thread that finished it).
   */
  run(steps: readonly PoolStep[], timings?: StepTiming[]): PoolFailure | undefined {
    this.assertRunnable(steps[0]?.op ?? 'run');
    for (let first = 0; first < steps.length; first += MAX_STEPS) {
      const failure = this.submit(steps.slice(first, first + MAX_STEPS), timings);
      if (failure) return { step: first + failure.step, error: failure.error };
    }
    return undefined;
  }

  /**
   * Throws a BackendError naming `op` when the pool cannot run jobs: disposed, or stopped (its
   * supervisor ended). Checked when a job is recorded too, so such a call fails where it is made.
   */
  assertRunnable(op: string): void {
    if (this.disposed) throw new BackendError(op, 'backend', 'the backend has been disposed');
    if (this.broken !== undefined)
      throw new BackendError(op, 'backend', `the CPU backend's worker pool has stopped (${this.broken}); create a new backend`);
  }

  /** Chunks step `step` splits into: one when a single thread is worth it, else a few per thread. */
  chunksOf(step: PoolStep): number {
    const units = Math.ceil(step.total / step.granule);
    const threads = Math.max(1, Math.min(step.threads, this.threads, units));
    return threads === 1 ? 1 : chunkCount(units, threads);
  }

  /** Whether a submission is open: {@link begin} ran, {@link finish} not yet. */
  get isOpen(): boolean {
    return this.current !== undefined;
  }

  /**
   * Opens a submission whose steps are {@link publish}ed one by one: the workers start on each
   * as soon as it is published, while the caller goes on recording the next (a model's host
   * work — validating calls, allocating outputs, writing job records — then overlaps the
   * workers' computing instead of preceding it); {@link finish} seals it and joins. `profiled`:
   * each step's end is stamped (see {@link StepTiming}).
   */
  begin(profiled = false): void {
    this.assertRunnable('run');
    const words = this.words;
    Atomics.store(words, Control.steps, 0);
    Atomics.store(words, Control.chunks, 0);
    Atomics.store(words, Control.sealed, 0);
    Atomics.store(words, Control.next, 0);
    Atomics.store(words, Control.participants, this.threads);
    Atomics.store(words, Control.failed, 0);
    Atomics.store(words, Control.profile, profiled ? 1 : 0);
    // Generation 0 (after 2^32 submissions) reads as "closed": workers skip that one, which the caller then runs alone.
    const generation = (Atomics.load(words, Control.generation) + 1) | 0;
    this.current = { generation, chunks: [], total: 0, start: profiled ? sharedClock() : undefined };
    Atomics.store(words, Control.open, generation);
    Atomics.store(words, Control.generation, generation);
    Atomics.notify(words, Control.generation);
  }

  /** Appends `step` to the open submission (see {@link begin}); at most {@link MAX_STEPS} per submission. */
  publish(step: PoolStep): void {
    const current = this.current!;
    const index = current.chunks.length;
    if (index === MAX_STEPS) throw new BackendError(step.op, 'run', `a submission holds at most ${MAX_STEPS} steps`);
    const chunks = this.chunksOf(step);
    const words = this.words;
    const row = Control.table + index * StepSlot.words;
    words[row + StepSlot.job] = step.job;
    words[row + StepSlot.total] = step.total;
    words[row + StepSlot.granule] = step.granule;
    words[row + StepSlot.chunks] = chunks;
    words[row + StepSlot.done] = 0;
    current.chunks.push(chunks);
    current.total += chunks;
    // The row is written before the count that lets a thread claim its chunks (seq-cst atomics).
    Atomics.store(words, Control.steps, index + 1);
    Atomics.store(words, Control.chunks, current.total);
    Atomics.add(words, Control.signal, 1);
    Atomics.notify(words, Control.signal);
  }

  /**
   * Seals the open submission, whose published steps are `steps`, runs the calling thread's
   * share and waits for the workers; as {@link run} from there.
   */
  finish(steps: readonly PoolStep[], timings?: StepTiming[]): PoolFailure | undefined {
    const current = this.current!;
    this.current = undefined;
    const words = this.words;
    Atomics.store(words, Control.sealed, 1);
    Atomics.add(words, Control.signal, 1);
    Atomics.notify(words, Control.signal);
    const ownError = runShares(words, current.generation, 0, this.runShare, this.shareConstants);
    Atomics.store(words, Control.open, 0);
    this.waitForWorkers(current.generation);
    const failure = this.outcome(steps, current.generation, ownError);
    // A profile started while the submission was open has no stamps for it.
    if (timings && !failure && current.start !== undefined) this.readStamps(current.chunks, current.start, timings);
    return failure;
  }

  /** Runs at most {@link MAX_STEPS} steps as one submission. */
  private submit(steps: readonly PoolStep[], timings: StepTiming[] | undefined): PoolFailure | undefined {
    // Nothing to share: no wake-up, no barrier.
    if (steps.every((step) => this.chunksOf(step) === 1)) return this.runAlone(steps, timings);
    this.begin(timings !== undefined);
    for (const step of steps) this.publish(step);
    return this.finish(steps, timings);
  }

  /** Appends the steps' times from the stamps their finishing threads wrote (see `StepSlot.stamp`). */
  private readStamps(chunks: readonly number[], start: number, timings: StepTiming[]): void {
    const stamps = new Float64Array(this.words.buffer, this.words.byteOffset, Control.words / 2);
    let previous = start;
    for (const [index, count] of chunks.entries()) {
      const end = stamps[(Control.table + index * StepSlot.words + StepSlot.stamp) / 2]!;
      timings.push({ chunks: count, ms: end - previous, end });
      previous = end;
    }
  }

  /** What a finished submission left: undefined when every step completed. */
  private outcome(steps: readonly PoolStep[], generation: number, ownError: unknown): PoolFailure | undefined {
    const words = this.words;
    const failed = Atomics.load(words, Control.failed);
    if (failed !== 0) {
      const step = Atomics.load(words, Control.failedStep);
      const who = failed === 1 ? 'the calling thread' : `worker ${failed - 1}`;
      const cause = failed === 1 ? String(ownError) : 'trap in a worker';
      return { step, error: new BackendError(steps[step]!.op, 'kernel', `the kernel failed on ${who}: ${cause}`) };
    }
    // A worker that died between chunks left nothing unfinished: only an incomplete step is a failure.
    const incomplete = steps.findIndex((_, index) => {
      const row = Control.table + index * StepSlot.words;
      return Atomics.load(words, row + StepSlot.done) < Atomics.load(words, row + StepSlot.chunks);
    });
    if (incomplete < 0) return undefined;
    const worker = Atomics.load(words, Control.lostJob) === generation ? Atomics.load(words, Control.lostWorker) : '?';
    return {
      step: incomplete,
      error: new BackendError(
        steps[incomplete]!.op,
        'worker',
        `worker ${worker} of the CPU backend's pool died during the call, leaving the output unfinished; it is being replaced, so the next call can run`,
      ),
    };
  }

  /** Runs every step whole on the calling thread, in order. */
  private runAlone(steps: readonly PoolStep[], timings: StepTiming[] | undefined): PoolFailure | undefined {
    return runInOrder(steps, this.runShare, ' on the calling thread', timings);
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

  /** True when no worker is still busy in submission `generation`. */
  private workersDone(generation: number): boolean {
    for (let index = 1; index < this.threads; index++) {
      if (Atomics.load(this.words, Control.busy + index) === generation) return false;
    }
    return true;
  }

  private waitForWorkers(generation: number): void {
    const words = this.words;
    // Spin first: a worker holds at most one chunk when we get here, so it finishes within
    // microseconds of us; as at a barrier, not for long (see BARRIER_SPINS).
    for (let spin = 0; spin < BARRIER_SPINS; spin++) {
      if (this.workersDone(generation)) return;
    }
    // Then sleep on `signal`, which every leaving worker and the supervisor (for a dead one)
    // bump; the slice bounds each sleep so a missed wake-up costs a slice, never a hang.
    for (;;) {
      const signal = Atomics.load(words, Control.signal);
      if (this.workersDone(generation)) return;
      if (this.shareConstants.canBlock) Atomics.wait(words, Control.signal, signal, WAIT_SLICE_MS);
    }
  }

  /** Ends the workers and their supervisor; later `run()` calls throw. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // An open submission's workers leave once they finish what they claimed.
    Atomics.store(this.words, Control.sealed, 1);
    Atomics.add(this.words, Control.signal, 1);
    Atomics.notify(this.words, Control.signal);
    this.current = undefined;
    Atomics.store(this.words, Control.stop, 1);
    Atomics.add(this.words, Control.generation, 1);
    Atomics.notify(this.words, Control.generation);
    this.supervisor?.terminate();
  }
}
