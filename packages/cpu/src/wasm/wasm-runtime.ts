import { BackendError } from '@sepconv/tensor';
import { floatIndex, Heap } from '../heap.js';
import { hasSharedMemory, wasmBinary, type Isa } from '../isa.js';
import { Control } from '../pool/control.js';
import { ThreadPool } from '../pool/thread-pool.js';
import { JOB_WORDS } from './job-layout.js';

/** Byte address of the job record. Addresses below it are never handed out (null guard). */
const JOB_ADDRESS = 256;
const CONTROL_ADDRESS = JOB_ADDRESS + JOB_WORDS * 4;
const RESERVED = CONTROL_ADDRESS + Control.words * 4;
/** 16 pages = 1 MiB to start with; the heap grows as tensors arrive. */
const INITIAL_PAGES = 16;
/** 4 GiB, all wasm32 addresses; a shared memory has to declare its maximum. */
const MAXIMUM_PAGES = 65536;
/**
 * Multiply-adds each thread must get before a job is split. Waking a sleeping worker costs
 * tens of microseconds, and on a busy 2-core machine (measured in apps/bench) a 0.9M
 * multiply-add depthwise layer (14×14×512) ran 2.6× slower on 2 threads than on 1, while
 * 3.6M-multiply-add layers broke even and 50M ones gained 1.3–1.9×: 1M per thread keeps the
 * small layers on the calling thread.
 */
export const DEFAULT_PARALLEL_THRESHOLD = 1_000_000;

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

/** Memory, instance and worker pool of a backend whose kernels are WebAssembly. */
export class WasmRuntime {
  private scratchAddress = 0;
  private scratchBytes = 0;
  private zeroAddress = 0;
  private zeroBytes = 0;

  private constructor(
    readonly heap: Heap,
    readonly isa: Isa,
    private readonly runShare: Run,
    /** The worker pool, absent on one thread. */
    readonly pool: ThreadPool | undefined,
    private readonly parallelThreshold: number,
  ) {}

  /** Threads a job may use, the calling thread included. */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /** Address of the worker pool's control block (see `Control`). */
  get control(): number {
    return CONTROL_ADDRESS;
  }

  /** Address of the job record that {@link launch} runs. */
  get job(): number {
    return JOB_ADDRESS;
  }

  static async create(isa: Exclude<Isa, 'js'>, threads: number, parallelThreshold = DEFAULT_PARALLEL_THRESHOLD): Promise<WasmRuntime> {
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
    return new WasmRuntime(new Heap(memory, RESERVED), isa, run, pool, parallelThreshold);
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
      this.zeroAddress = this.heap.alloc(this.zeroBytes, op);
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
   * Runs the job record over `[0, total)` units (rows or pixels, as the kernel defines),
   * split among threads in multiples of `granule`; `work` (multiply-adds) decides how many
   * threads are worth waking.
   */
  launch(op: string, total: number, granule: number, work: number): void {
    if (total === 0) return;
    const worthwhile = this.parallelThreshold <= 0 ? this.threads : Math.max(1, Math.floor(work / this.parallelThreshold));
    if (this.pool) {
      this.pool.run(op, JOB_ADDRESS, total, granule, worthwhile);
      return;
    }
    try {
      this.runShare(JOB_ADDRESS, 0, total, 0);
    } catch (error) {
      throw new BackendError(op, 'kernel', `the kernel failed: ${String(error)}`);
    }
  }

  dispose(): void {
    this.pool?.dispose();
  }
}
