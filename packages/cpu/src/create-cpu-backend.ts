import { describeValue, UnsupportedError, ValueError } from '@sepconv/tensor';
import { cpuBackend, type CpuBackend } from './cpu-backend.js';
import { cpuFingerprint } from './cpu-fingerprint.js';
import { CpuContext } from './cpu-context.js';
import { Heap } from './heap.js';
import { hasSharedMemory, ISAS, isaSupport, type Isa } from './isa.js';
import { variantSupport } from './variant-support.js';
import { MAX_THREADS } from './pool/control.js';
import { cpuQuantizedVariants } from './quantized-variants.js';
import { cpuVariants } from './variants.js';
import { WasmRuntime } from './wasm/wasm-runtime.js';
import { importNodeBuiltin } from './import-node-builtin.js';

/** Options of {@link createCpuBackend}. */
export interface CpuBackendOptions {
  /**
   * Threads a kernel splits its output rows over, the calling thread included; `1` runs
   * everything on the calling thread with no workers. Default: the number of logical cores,
   * at most 8; at most 64 (each thread is a worker with its own instance of the kernels, and
   * kernels stop gaining well before: more is a mistake, refused with a ValueError). Falls back
   * to 1 (with a note in `backend.notes`) where shared memory is not available, e.g. a browser
   * page that is not cross-origin isolated; when `threads` > 1 was asked for, the first such
   * backend of the process also says so once with `console.warn`.
   */
  threads?: number | undefined;
  /**
   * Forces one kernel variant by name (see `cpuVariants`, and `cpuQuantizedVariants` for the int8 ops): every call whose op and geometry it
   * supports runs on it; other calls use normal dispatch on the variant's ISA (the best
   * WebAssembly ISA when the forced variant is JavaScript). Throws UnsupportedError when the
   * runtime cannot run it.
   */
  variant?: string | undefined;
  /**
   * Multiply-adds each thread must get before a kernel is split across threads; smaller jobs
   * run whole on one thread, where splitting would cost more than it saves (a barrier between
   * the queued calls of one run, plus waking the workers once per run).
   * Default 200000; 0 splits every job (tests use it to exercise the pool on small shapes).
   */
  parallelThreshold?: number | undefined;
  /**
   * On more than one thread, whether queued kernel jobs start as soon as the first one worth
   * splitting is recorded, the workers computing while the calling thread records the rest of
   * the chain (a whole predict), rather than all at the flush. Default true: the host's work
   * per call then overlaps the kernels instead of preceding them (1.1–1.3 ms of a
   * MobileNetV2/V3-Large predict). `false` is the A/B the bench measures it against.
   */
  pipeline?: boolean | undefined;
}

/** Whether this process has already warned that asked-for threads are unavailable: once is enough (a page may create many backends). */
let warnedNoSharedMemory = false;

async function defaultThreads(): Promise<number> {
  const navigatorCores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  if (navigatorCores) return Math.min(8, navigatorCores);
  try {
    const os = await importNodeBuiltin('os');
    return Math.min(8, os.availableParallelism());
  } catch {
    return 1;
  }
}

/**
 * Creates the CPU backend (see {@link CpuBackend}): compiles the inlined WebAssembly kernels,
 * picks the fastest ISA the runtime has (relaxed SIMD, SIMD, else JavaScript) and starts the
 * worker pool.
 * @throws ValueError for a bad `threads` or an unknown `variant`; UnsupportedError when the
 * forced variant's ISA is not available here.
 */
export async function createCpuBackend(options: CpuBackendOptions = {}): Promise<CpuBackend> {
  const op = 'createCpuBackend';
  if (options === null || typeof options !== 'object') {
    throw new ValueError(op, 'options', `options must be an object, got ${describeValue(options)}`);
  }
  const { threads: requested, variant: variantName, parallelThreshold, pipeline = true } = options;
  if (typeof pipeline !== 'boolean') {
    throw new ValueError(op, 'options.pipeline', `options.pipeline must be a boolean, got ${describeValue(pipeline)}`);
  }
  if (parallelThreshold !== undefined && (typeof parallelThreshold !== 'number' || !(parallelThreshold >= 0))) {
    throw new ValueError(op, 'options.parallelThreshold', `options.parallelThreshold must be a number >= 0, got ${describeValue(parallelThreshold)}`);
  }
  if (requested !== undefined && (typeof requested !== 'number' || !Number.isInteger(requested) || requested < 1 || requested > MAX_THREADS)) {
    throw new ValueError(op, 'options.threads', `options.threads must be an integer from 1 to ${MAX_THREADS}, got ${describeValue(requested)}`);
  }
  const forced = variantName === undefined ? undefined : cpuVariants.find((v) => v.name === variantName);
  const forcedQuantized = variantName === undefined ? undefined : cpuQuantizedVariants.find((v) => v.name === variantName);
  if (variantName !== undefined && !forced && !forcedQuantized) {
    throw new ValueError(
      op,
      'options.variant',
      `options.variant must be one of cpuVariants' or cpuQuantizedVariants' names, got ${describeValue(variantName)}`,
    );
  }
  const forcedRow = forced ?? forcedQuantized;
  const support = isaSupport();
  const forcedUnsupported = forcedRow && variantSupport(forcedRow);
  if (forcedRow && forcedUnsupported !== undefined) {
    throw new UnsupportedError(op, 'options.variant', `${forcedRow.name} cannot run here: ${forcedUnsupported}`);
  }
  const notes: string[] = [];
  let threads = requested ?? (await defaultThreads());
  if (threads > 1 && !hasSharedMemory()) {
    notes.push(
      `running on 1 thread instead of ${threads}: shared memory is not available (a browser page must be cross-origin isolated, with COOP/COEP headers, to use SharedArrayBuffer)`,
    );
    // Only threads the caller asked for deserve a warning: the default quietly fits the platform.
    if (requested !== undefined && !warnedNoSharedMemory) {
      warnedNoSharedMemory = true;
      console.warn(`@sepconv/cpu: ${notes[0]} (warned once per process; every such backend says so in backend.notes)`);
    }
    threads = 1;
  }
  const wasmIsa =
    forcedRow && forcedRow.isa !== 'js'
      ? forcedRow.isa
      : ISAS.find((isa): isa is Exclude<Isa, 'js'> => isa !== 'js' && support.get(isa) === undefined);
  if (!wasmIsa) {
    if (typeof WebAssembly === 'undefined') {
      throw new UnsupportedError(op, 'options', 'the CPU backend keeps its tensors in a WebAssembly.Memory, and this runtime has no WebAssembly');
    }
    notes.push(`no WebAssembly SIMD here (${support.get('wasmsimd')}): every kernel runs in JavaScript on 1 thread`);
    const heap = new Heap(new WebAssembly.Memory({ initial: 16, maximum: 65536 }), 1024);
    return cpuBackend(new CpuContext(heap, undefined, 'js', forced, forcedQuantized), 1, notes, await cpuFingerprint('js', 1));
  }
  const runtime = await WasmRuntime.create(wasmIsa, threads, parallelThreshold, pipeline);
  return cpuBackend(
    new CpuContext(runtime.heap, runtime, wasmIsa, forced, forcedQuantized),
    runtime.threads,
    notes,
    await cpuFingerprint(wasmIsa, runtime.threads),
  );
}
