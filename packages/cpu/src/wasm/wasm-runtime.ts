import { floatIndex, Heap } from '../heap.js';
import { hasSharedMemory, wasmBinary, type Isa } from '../isa.js';
import { Control, MAX_STEPS } from '../pool/control.js';
import { runInOrder, ThreadPool, type PoolFailure, type PoolStep, type StepTiming } from '../pool/thread-pool.js';
import { JobQueue, type JobCheck } from './job-queue.js';
import { JOB_WORDS } from './job-layout.js';

/** Byte address of the job record arena. Addresses below it are never handed out (null guard). */
const JOB_ADDRESS = 256;
/** Job records the queue holds before it runs on its own: one pool submission's worth. */
const QUEUE_CAPACITY = MAX_STEPS;
const CONTROL_ADDRESS = JOB_ADDRESS + QUEUE_CAPACITY * JOB_WORDS * 4;
const RESERVED = CONTROL_ADDRESS + Control.words * 4;
/** 16 pages = 1 MiB to start with; the heap grows as tensors arrive. */
const INITIAL_PAGES = 16;
/** 4 GiB, all wasm32 addresses; a shared memory has to declare its maximum. */
const MAXIMUM_PAGES = 65536;
/**
 * Multiply-adds each thread must get before a job is split. When every kernel call was its own
 * pool run, a split paid for waking a sleeping worker (tens of microseconds): on a busy 2-core
 * machine a 0.9M multiply-add depthwise layer (14×14×512) ran 2.6× slower on 2 threads than on
 * 1, so the threshold was 1M per thread. Now that a chain of calls is one submission (see
 * `JobQueue`), a split inside it costs a barrier crossing — a cache line handed between cores,
 * about a microsecond — so smaller jobs are worth splitting: at 200k per thread every
 * MobileNetV1 depthwise layer (the smallest, 7×7×1024, is 0.45M) runs on both threads instead
 * of one while the other waits at the next barrier. Interleaved MobileNetV1 1.0-224 runs on the
 * loaded 2-core development machine put 250k and 50k ahead of 1M (min 128 and 120 ms against
 * 160, load average 19: a direction, not a figure).
 */
export const DEFAULT_PARALLEL_THRESHOLD = 200_000;

const modules = new Map<string, Promise<WebAssembly.Module>>();

function compileModule(isa: Exclude<Isa, 'js'>, shared: boolean): Promise<WebAssembly.Module> {
  const key = `${isa}:${shared}`;
  let module = modules.get(key);
  if (!module) {
    module = WebAssembly.compile(wasmBinary(isa, shared));
    modules.set(key, module);
  }
  return module;
}

type Run = (job: number, start: number, end: number, thread: number) => void;

/**
 * How one kernel job of a profiled run went (see `CpuBackend.profileJobs`): what it was, how it
 * split and how long it took inside the run.
 */
export interface JobTiming {
  /** The op that recorded it (`pointwiseConv2d`, `add`, …). */
  readonly op: string;
  /** Units it splits over (output rows, pixels, channel panels or elements, as its kernel defines) and their granule. */
  readonly units: number;
  readonly granule: number;
  /**
   * What the parallel threshold weighs, in multiply-adds at a convolution's compute-bound rate:
   * a convolution's own, scaled up where streaming weights bounds it (1–2 output pixels); an
   * element-wise op's elements × `ELEMENT_WORK`.
   */
  readonly work: number;
  /** Chunks it ran in: 1 when one thread ran it whole (below the threshold, or one thread). */
  readonly chunks: number;
  /** From the end of the previous job (the run's start for the first) to its own end, in ms: barrier waits included. */
  readonly ms: number;
  /**
   * Its end, in ms on `performance.timeOrigin + performance.now()` (the pool's threads each
   * have their own `performance.now()` origin): `end - ms` of a run's first job is when the run
   * started, so a caller can tell the host's time around the runs from the jobs' own.
   */
  readonly end: number;
}

/**
 * Memory, instance and worker pool of a backend whose kernels are WebAssembly. Kernel calls
 * write a job record at {@link job} and {@link launch} it, which queues it (see
 * {@link JobQueue}): the queue runs as one pool submission when the host needs data.
 */
export class WasmRuntime {
  private scratchAddress = 0;
  private scratchBytes = 0;
  private zeroAddress = 0;
  private zeroBytes = 0;
  /** The kernel calls recorded and not yet run. */
  readonly queue: JobQueue;
  /** Where profiled runs append their jobs' timings (see {@link profile}); undefined when not profiling. */
  private timings: JobTiming[] | undefined;

  private constructor(
    readonly heap: Heap,
    readonly isa: Isa,
    private readonly runShare: Run,
    /** The worker pool, absent on one thread. */
    readonly pool: ThreadPool | undefined,
    private readonly parallelThreshold: number,
    private readonly pipeline: boolean,
  ) {
    this.queue = new JobQueue(
      heap,
      JOB_ADDRESS,
      QUEUE_CAPACITY,
      (steps) => this.runSteps(steps),
      (step, steps) => this.recorded(step, steps),
    );
    heap.defer(this.queue);
  }

  /** Threads a job may use, the calling thread included. */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /** Address of the worker pool's control block (see `Control`). */
  get control(): number {
    return CONTROL_ADDRESS;
  }

  /**
   * Address at which a kernel call writes its job record before {@link launch}: read it after
   * everything in the call that may allocate (an allocation may run the queue, freeing slots).
   */
  get job(): number {
    return this.queue.slot;
  }

  /**
   * `pipeline` (default true): the workers start on the queued jobs as soon as one is worth
   * splitting, while the calling thread records the rest (see {@link recorded}); false runs the
   * queue only when it is flushed (tests and A/B measurements).
   */
  static async create(
    isa: Exclude<Isa, 'js'>,
    threads: number,
    parallelThreshold = DEFAULT_PARALLEL_THRESHOLD,
    pipeline = true,
  ): Promise<WasmRuntime> {
    const shared = threads > 1 && hasSharedMemory();
    const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared });
    const module = await compileModule(isa, shared);
    const instance = await WebAssembly.instantiate(module, {
      env: {
        memory,
        abort: () => {
          throw new Error('abort');
        },
      },
    });
    const run = instance.exports.run as Run;
    const pool = shared ? await ThreadPool.create(module, memory, CONTROL_ADDRESS, threads, run) : undefined;
    return new WasmRuntime(new Heap(memory, RESERVED), isa, run, pool, parallelThreshold, pipeline);
  }

  /**
   * Per-thread scratch of `bytesPerThread` bytes for every thread; returns its address and
   * stride. Kept between calls and grown when a job needs more.
   */
  scratch(op: string, bytesPerThread: number): { address: number; stride: number } {
    const stride = Math.ceil(bytesPerThread / 64) * 64;
    const bytes = stride * this.threads;
    if (bytes > this.scratchBytes) {
      if (this.scratchAddress) this.heap.release(this.scratchAddress);
      // Only jobs write scratch: reusing a block queued jobs still read is safe (they run first).
      this.scratchAddress = this.heap.alloc(bytes, op);
      this.scratchBytes = bytes;
    }
    return { address: this.scratchAddress, stride };
  }

  /** Address of at least `bytes` zero bytes, read in place of input rows in the padding. */
  zeros(op: string, bytes: number): number {
    if (bytes > this.zeroBytes) {
      if (this.zeroAddress) this.heap.release(this.zeroAddress);
      this.zeroBytes = Math.max(bytes, 2 * this.zeroBytes);
      this.zeroAddress = this.heap.allocHost(this.zeroBytes, op);
      // Includes the allocation's slack, which vector loads past the end may touch.
      this.heap.floats().fill(0, floatIndex(this.zeroAddress), floatIndex(this.zeroAddress + this.zeroBytes + 64));
    }
    return this.zeroAddress;
  }

  /** Gets the workers ready for a job of `work` multiply-adds that is about to be launched. */
  prepare(work: number): void {
    if (this.pool && (this.parallelThreshold <= 0 || work >= 2 * this.parallelThreshold)) this.pool.wake();
  }

  /**
   * Queues the job record written at {@link job} to run over `[0, total)` units (rows or
   * pixels, as the kernel defines), split among threads in multiples of `granule`; `work`
   * (multiply-adds) decides how many threads are worth splitting it over. It runs, in order
   * after the jobs queued before it, when the queue is flushed (see {@link JobQueue}); `check`
   * then reads what the job reported in its record (see {@link JobCheck}).
   */
  launch(op: string, total: number, granule: number, work: number, check?: JobCheck): void {
    if (total === 0) return;
    this.pool?.assertRunnable(op);
    const worthwhile = this.parallelThreshold <= 0 ? this.threads : Math.max(1, Math.floor(work / this.parallelThreshold));
    this.queue.record({ op, total, granule, threads: worthwhile, work }, check);
  }

  /** Runs the queued jobs; throws the BackendError of the first that failed. */
  flush(): void {
    this.queue.flush();
  }

  /**
   * Starts timing every job the queue runs (each job's end stamped by the thread that finished
   * it, one clock read per job); `stop()` ends it and returns the timings in run order.
   */
  profile(): { stop(): readonly JobTiming[] } {
    const timings: JobTiming[] = [];
    this.timings = timings;
    return {
      stop: () => {
        if (this.timings === timings) this.timings = undefined;
        return timings;
      },
    };
  }

  /**
   * A job was queued (`steps`: every queued job, it last). With a pool, the first job worth
   * splitting opens a pool submission holding the jobs queued so far, and each later one is
   * published to it as it is queued: the workers run them while this thread records the rest
   * of the chain — on MobileNetV2 and V3-Large about 1.1–1.3 ms per predict of JavaScript
   * (validation, allocation, job records; 8–9% of a 1-thread run), which on 2 threads would
   * otherwise precede the run with the workers idle and cap the 2-thread speed-up near 1.7×.
   * Safe as a queue that runs at flush is: jobs run in queue order, barriers between them, and
   * the host writes only blocks no queued job can still read (see `JobQueue`).
   */
  private recorded(step: PoolStep, steps: readonly PoolStep[]): void {
    const pool = this.pool;
    if (!pool || !this.pipeline) return;
    if (pool.isOpen) {
      pool.publish(step);
    } else if (pool.chunksOf(step) > 1) {
      pool.begin(this.timings !== undefined);
      for (const queued of steps) pool.publish(queued);
    }
  }

  private runSteps(steps: readonly PoolStep[]): PoolFailure | undefined {
    const timings: StepTiming[] | undefined = this.timings && [];
    const pool = this.pool;
    const failure = pool ? (pool.isOpen ? pool.finish(steps, timings) : pool.run(steps, timings)) : runInOrder(steps, this.runShare, '', timings);
    if (timings) {
      for (const [index, timing] of timings.entries()) {
        const step = steps[index]!;
        this.timings?.push({ op: step.op, units: step.total, granule: step.granule, work: step.work ?? 0, ...timing });
      }
    }
    return failure;
  }

  dispose(): void {
    this.queue.drop('the backend was disposed first');
    this.pool?.dispose();
  }
}
