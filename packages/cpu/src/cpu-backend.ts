import {
  defineBackend,
  isHostTensor,
  UnsupportedError,
  type DefinedBackend,
  type QuantizedTensor,
  type Tensor,
  type KernelCall,
  type QuantizedKernelCall,
} from '@sepconv/tensor';
import type { CpuContext } from './cpu-context.js';
import { CpuQuantizedTensor } from './cpu-quantized-tensor.js';
import { CpuTensor } from './cpu-tensor.js';
import type { HeapStats } from './heap.js';
import type { Isa } from './isa.js';
import { kernels } from './kernels/kernels.js';
import { prepareInt8Weights } from './pack/prepare-int8-weights.js';
import { prepareWeights } from './pack/prepare-weights.js';
import { cpuVariants } from './variants.js';
import type { JobTiming } from './wasm/wasm-runtime.js';

/**
 * The CPU backend: NHWC float32 kernels in WebAssembly SIMD (relaxed-SIMD FMA where the
 * runtime has it) or JavaScript, multi-threaded over shared memory. Results are
 * {@link CpuTensor}s in the backend's WebAssembly memory, so chained ops read them in place;
 * host tensors are copied in per call unless made resident once with `upload()`; `read()` copies out.
 * It declares the optional `add`, `sub`, `mul`, `div`, `activation`, `concat`, `pad`, `pool2d`,
 * `globalPool2d`, `resizeBilinear`, `softmax` and `reshape` capabilities, every int8 capability
 * (`quantize`, `dequantize`, `quantizedConv2d`, `quantizedSeparableConv2d`, …: WebAssembly int8
 * convolutions bit-exact with the reference, results are {@link CpuQuantizedTensor}s read with
 * `readQuantized`), and `upload(x)`: copies
 * `x` (a host tensor, any shape, float32; or another CPU backend's tensor) into this backend's
 * memory once, so ops that take it read it in place instead of copying it in on every call — as
 * tfjs keeps a tensor in its backend and ONNX Runtime binds an input buffer; the copy is
 * independent of `x`, `dispose()` it when done; a tensor on another device (WebGPU) must be read
 * back to the host first. It is a `TunableBackend`: `kernelVariants(call)` lists the rows of
 * `cpuVariants` of its instruction set that can run a call, `options.variant` runs one, and
 * `fingerprint()` names the ISA, threads, processor and engine. `dispose()` ends the worker threads and frees the packed weights; the backend cannot be used
 * afterwards. Create it with `createCpuBackend`.
 */
export interface CpuBackend extends DefinedBackend<CpuTensor, typeof kernels, object, 'cpu'> {
  /** `TunableBackend.kernelVariants`: the rows of `cpuVariants` of this backend's ISA that can run `call`, dispatch order first. */
  kernelVariants(call: KernelCall): readonly string[];
  /** `TunableBackend.fingerprint`: ISA, threads, processor and JavaScript engine. */
  fingerprint(): string;
  /**
   * `WeightPreparingBackend.prepareWeights`: packs the filter(s) and bias(es) of a convolution
   * call into the layout of the variant it will run on (its `options.variant`, the forced one, or
   * dispatch's), now rather than inside its first call; `call.x` may have batch 0. Packed
   * weights are cached per filter tensor and freed with it (mobilenet's `instantiate` prepares
   * every layer, so the first predict packs nothing).
   */
  prepareWeights(call: KernelCall): void;
  /**
   * `QuantizedWeightPreparingBackend.prepareQuantizedWeights`: packs the int8 weights of an int8
   * convolution call into the layout of the variant it will run on, now rather than inside its
   * first call; `call.x` may have batch 0. Packed once per weights object (mobilenet's
   * `instantiate` prepares every int8 layer, so a quantized model's first predict packs nothing).
   */
  prepareQuantizedWeights(call: QuantizedKernelCall): void;
  /** `WeightPreparingBackend.releaseWeights`: frees the packings of `weight` (a filter; a bias is packed with its filter, so a no-op). */
  releaseWeights(weight: Tensor): void;
  /** How many times this backend has packed weights (cache misses): steady-state calls add none. */
  readonly packings: number;
  /** Threads a kernel may use, the calling thread included. */
  readonly threads: number;
  /** Things worth knowing about how this backend runs, e.g. why it fell back to one thread. */
  readonly notes: readonly string[];
  /** The instruction set dispatch uses: `wasmrelaxedsimd`, `wasmsimd` or `js`. */
  readonly isa: Isa;
  /** The forced variant's name, if any (see `CpuBackendOptions.variant`). */
  readonly variant: string | undefined;
  /** Bytes of tensors, packed weights and scratch held in the backend's memory. */
  readonly allocatedBytes: number;
  /**
   * The backend memory's live and free blocks and its size: a model run the same way twice
   * leaves them the same (the allocator reuses the blocks the previous run freed).
   */
  readonly heapStats: HeapStats;
  /**
   * How many times queued kernel calls have been run. WebAssembly kernel calls are recorded,
   * not run, and run together — one pool submission, barriers between them — when the host
   * needs data: `read`, an op that computes on the host, or `flush()`. A chain of convolutions
   * (a MobileNet's body) therefore costs one wake-up of the worker threads, not one per layer.
   */
  readonly submissions: number;
  /**
   * Runs the queued kernel calls now (`read` does so anyway). A kernel that fails while they
   * run throws from here (or from the `read` that ran them) a BackendError naming its op.
   */
  flush(): void;
  /**
   * A diagnostic: times every WebAssembly kernel job the backend runs from now until `stop()`,
   * which returns them in run order — op, how it split among the threads (`chunks`: 1 when one
   * thread ran it whole), its multiply-adds and its time inside the run, from the end of the job
   * before it, so barrier waits and imbalance count. Costs one clock read per job. What the
   * bench's `--profile` prints per step on 1 and 2 threads. Empty on the JavaScript ISA.
   */
  profileJobs(): { stop(): readonly JobTiming[] };
}

async function readCpu(x: Tensor): Promise<Float32Array> {
  if (x instanceof CpuTensor) {
    // The constructor copies into fresh memory without zero-filling it first: 0.05 ms where
    // slice() took 0.12 ms for 1.6 MB (Node 20, a third of a 56×56×128 depthwise layer's time).
    return new Float32Array(x.view());
  }
  if (isHostTensor(x)) return new Float32Array(x.data);
  throw new UnsupportedError('read', 'x', `x lives on '${x.location}', not on the CPU backend`);
}

async function readCpuQuantized(x: QuantizedTensor): Promise<Int8Array> {
  if (x instanceof CpuQuantizedTensor) return new Int8Array(x.view());
  throw new UnsupportedError('readQuantized', 'x', `x lives on '${x.location}', not on the CPU backend`);
}

/** The CPU backend over `ctx` (see {@link CpuBackend}); `createCpuBackend` builds the context and measures the `fingerprint` (see `cpuFingerprint`). */
export function cpuBackend(
  ctx: CpuContext,
  threads: number,
  notes: readonly string[],
  fingerprint = `cpu ${ctx.isa} ${threads} thread${threads === 1 ? '' : 's'}`,
): CpuBackend {
  return defineBackend({
    name: 'cpu',
    label: 'CPU',
    context: ctx,
    kernels,
    read: (_ctx, x) => readCpu(x),
    readQuantized: (_ctx, x) => readCpuQuantized(x),
    dispose: (context) => context.dispose(),
    // The rows dispatch picks from: a forced variant of another ISA is a test device, not a candidate.
    variants: (context) => cpuVariants.filter((v) => v.isa === context.isa),
    fingerprint: () => fingerprint,
    // The full-window convolution a global average pool otherwise becomes (fused with the
    // pointwise conv after it: one output row, so one thread, 49 to 784 taps on the generic
    // depthwise kernel) took longer than globalPool2d plus the pointwise conv in
    // MobileNetV3-Large's squeeze-and-excitation blocks.
    loweringPreferences: { globalAveragePool: 'globalPool2d' },
    // Every convolution takes a residual: the GEMM rows (pointwise, standard convolution on the
    // GEMM, the fused separable kernel) add it in their store; the other rows in one pass after.
    residualOps: ['conv2d', 'depthwiseConv2d', 'pointwiseConv2d', 'separableConv2d'],
    extras: {
      threads,
      notes,
      get isa(): Isa {
        return ctx.isa;
      },
      get variant(): string | undefined {
        return ctx.forced?.name ?? ctx.forcedQuantized?.name;
      },
      get allocatedBytes(): number {
        return ctx.heap.allocatedBytes;
      },
      get heapStats(): HeapStats {
        return ctx.heap.stats;
      },
      get packings(): number {
        return ctx.packings;
      },
      prepareWeights(call: KernelCall): void {
        prepareWeights(ctx, call);
      },
      prepareQuantizedWeights(call: QuantizedKernelCall): void {
        prepareInt8Weights(ctx, call);
      },
      releaseWeights(weight: Tensor): void {
        ctx.releasePacked(weight);
      },
      get submissions(): number {
        return ctx.runtime?.queue.submissions ?? 0;
      },
      flush(): void {
        ctx.flush();
      },
      profileJobs(): { stop(): readonly JobTiming[] } {
        return ctx.runtime?.profile() ?? { stop: () => [] };
      },
    },
  });
}
