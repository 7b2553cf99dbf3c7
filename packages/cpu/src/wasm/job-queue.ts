import { BackendError, type SepconvError } from '@sepconv/tensor';
import { floatIndex, type Heap } from '../heap.js';
import type { PoolFailure, PoolStep } from '../pool/thread-pool.js';
import { JOB_WORDS, JobSlot } from './job-layout.js';

/** Runs recorded steps in order; returns the first that failed, if one did. */
export type RunSteps = (steps: readonly PoolStep[]) => PoolFailure | undefined;

/** Told of each step as it is recorded, with every step recorded so far (it last), so it may start running them early. */
export type OnRecord = (step: PoolStep, steps: readonly PoolStep[]) => void;

/**
 * Looks at what a job reported in its record once it has run (e.g. `quantize`'s NaN flag):
 * the typed error the call would have thrown had the host scanned its input, or undefined.
 */
export type JobCheck = () => SepconvError | undefined;

/**
 * The wasm jobs of successive kernel calls, recorded instead of run, so that a chain of calls
 * (a whole predict) reaches the worker pool as one submission: one wake-up and one wait,
 * barriers between the jobs, instead of a round trip per layer. A kernel call validates its
 * inputs, allocates its output (shapes are known), writes its job record into the next free
 * {@link slot} of the record arena and {@link record}s it; the queue runs when the host needs
 * data — `read`, a host op reading a tensor, a host write into memory a queued job may still
 * read (see `Heap.allocHost`) — or when the arena is full.
 *
 * Why this is safe with the heap reusing freed blocks: the jobs run in the order they were
 * recorded with a barrier between consecutive ones, so a block freed after job A was recorded
 * (its input copy released, a tensor disposed) and handed to a later job B as output is written
 * only after A has finished reading it. The host never writes such a block before the queue
 * has run: `Heap.allocHost` and every tensor view settle the queue first.
 *
 * Errors: a bad call throws when it is made (validation and allocation happen then); a kernel
 * that fails or a worker that dies while the queue runs throws, from the call that made it
 * run, the BackendError naming the failing job's op, and the outputs of that job and of every
 * job after it are marked unfinished: reading one, or passing it to another op, throws instead
 * of returning memory nobody wrote. Bad data only a kernel sees (a NaN for `quantize`) is
 * reported the same way, with the op's own typed error, by the job's {@link JobCheck}.
 */
export class JobQueue {
  private steps: PoolStep[] = [];
  /** By step: what to check in its record once it has run (kept apart: steps go to the workers). */
  private checks: (JobCheck | undefined)[] = [];
  private runs = 0;

  constructor(
    private readonly heap: Heap,
    /** Byte address of the first of `capacity` job records. */
    private readonly arena: number,
    private readonly capacity: number,
    private readonly runSteps: RunSteps,
    private readonly onRecord?: OnRecord,
  ) {}

  /** Whether jobs are waiting to run. */
  get pending(): boolean {
    return this.steps.length > 0;
  }

  /** Jobs waiting to run. */
  get length(): number {
    return this.steps.length;
  }

  /** How many times the queue has run (each one pool submission, or one pass on the calling thread). */
  get submissions(): number {
    return this.runs;
  }

  /**
   * Address at which the next job record is written: read it after everything in the call that
   * may allocate, since an allocation may run the queue and free the arena.
   */
  get slot(): number {
    return this.arena + this.steps.length * JOB_WORDS * 4;
  }

  /** Adds the record written at {@link slot} as the next job; runs the queue when the arena is full. */
  record(step: Omit<PoolStep, 'job'>, check?: JobCheck): void {
    const recorded = { ...step, job: this.slot };
    this.steps.push(recorded);
    this.checks.push(check);
    this.onRecord?.(recorded, this.steps);
    if (this.steps.length === this.capacity) this.flush();
  }

  /**
   * Runs every queued job in order, emptying the queue first, so a failure leaves it empty.
   * @throws BackendError naming the op of the job that failed, or the typed error a job's check
   * reports (the first, in job order, of either).
   */
  flush(): void {
    if (this.steps.length === 0) return;
    const steps = this.steps;
    const checks = this.checks;
    this.steps = [];
    this.checks = [];
    this.heap.settling();
    this.runs++;
    const failure = this.runSteps(steps);
    for (let index = 0; index < (failure?.step ?? steps.length); index++) {
      const error = checks[index]?.();
      if (!error) continue;
      this.markUnfinished(steps.slice(index), error);
      throw error;
    }
    if (!failure) return;
    this.markUnfinished(steps.slice(failure.step), failure.error);
    throw failure.error;
  }

  /** Forgets the queued jobs without running them (the backend is being disposed); their outputs read as unfinished. */
  drop(reason: string): void {
    const steps = this.steps;
    this.steps = [];
    this.checks = [];
    this.markUnfinished(steps, undefined, reason);
  }

  private markUnfinished(
    steps: readonly PoolStep[],
    error: SepconvError | undefined,
    reason = `an earlier job of the same run failed (${error?.message})`,
  ): void {
    const ints = this.heap.ints();
    for (const [index, step] of steps.entries()) {
      const output = ints[floatIndex(step.job) + JobSlot.y]! >>> 0;
      this.heap.fail(output, index === 0 && error ? error : new BackendError(step.op, 'x', `the result was never computed: ${reason}`));
    }
  }
}
