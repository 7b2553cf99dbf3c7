import type { Conv2dGeometry, ConvKernelInputs, Tensor } from '@sepconv/tensor';
import type { CpuContext, HeapInput } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import type { CpuConvVariant, WasmVariant } from '../variants.js';
import { floatIndex } from '../heap.js';
import { GEMM_MR, GEMM_NR, JobSlot, WasmKernel } from '../wasm/job-layout.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { writeJob } from '../wasm/write-job.js';
import { packedGemm } from './packed-weights.js';
import { requireWasmRuntime } from './require-wasm-runtime.js';

/**
 * Output pixels below which a GEMM's time is set by streaming its weights, not by its
 * multiply-adds: each weight read feeds only `pixels` of them. MobileNetV3-Large's
 * squeeze-and-excitation layers (1 pixel) ran at 6.3–7.8 GMAC/s on one thread where the same
 * kernel runs 22–26 over many pixels (`bench:networks --profile`), a factor of about 3 at 1
 * pixel: the work the parallel threshold weighs is scaled by `3 / pixels` below 3 pixels, so a
 * 960→240 SE layer (0.23M multiply-adds, 0.033 ms) splits its output channels over 2 threads.
 */
const WEIGHT_BOUND_PIXELS = 3;

/** Panels per share when threads split output channels (see {@link wasmGemmConv2d}). */
const COLUMN_GRANULE = 2;

/**
 * Pointwise and standard convolution on the GEMM micro-kernel: `direct` (pointwise, or a
 * 1×1 stride-1 unpadded conv2d; the narrow-K pointwise kernel too) reads input rows in place; otherwise an indirect GEMM walks
 * the kernelHeight·kernelWidth taps through per-tile pointer lists, padding taps pointing at
 * a zero buffer. Output pixels split among threads in multiples of the micro-kernel's GEMM_MR
 * rows, except a pointwise product with more output channels than pixels (the 14×14 and 7×7
 * MobileNet layers), which splits its output channels: the weights are then the larger operand,
 * and each thread reads only its share of them instead of all, while a 7×7 layer's 13 row tiles
 * would have left one thread a tile more than the other.
 */
export function wasmGemmConv2d(
  ctx: CpuContext,
  variant: WasmVariant<CpuConvVariant>,
  { x, filter, bias, residual, geometry: g }: ConvKernelInputs<Tensor>,
  y: CpuTensor,
): void {
  const op = variant.op;
  const runtime = requireWasmRuntime(ctx, op, variant);
  const direct = variant.wasmKernel === WasmKernel.gemm || variant.wasmKernel === WasmKernel.gemmNarrow;
  const pixels = g.batch * g.outHeight * g.outWidth;
  const taps = g.kernelHeight * g.kernelWidth;
  const work = pixels * taps * g.inChannels * g.outChannels * Math.max(1, WEIGHT_BOUND_PIXELS / pixels);
  runtime.prepare(work);
  const input = ctx.input(op, 'x', x);
  let added: HeapInput | undefined;
  try {
    const w = packedGemm(ctx, op, 'filter', filter, bias, g);
    // Added in the GEMM's store (assembly/gemm.ts storeEpilogue): after the bias, before the clamp.
    added = residual && ctx.input(op, 'options.residual', residual);
    const { scratch, zero } = gemmBuffers(runtime, op, g, variant.wasmKernel);
    writeJob(ctx.heap.ints(), ctx.heap.floats(), runtime.job, g, {
      kernel: variant.wasmKernel,
      x: input.address,
      w,
      y: y.address,
      zero,
      scratch: scratch.address,
      scratchStride: scratch.stride,
      residual: added?.address,
    });
    if (direct && pixels < g.outChannels) {
      ctx.heap.ints()[floatIndex(runtime.job) + JobSlot.splitColumns] = 1;
      // Shares of two panels: 16 channels, so two threads never write one 64-byte line of a row.
      runtime.launch(op, Math.ceil(g.outChannels / GEMM_NR), COLUMN_GRANULE, work);
    } else {
      runtime.launch(op, pixels, GEMM_MR, work);
    }
  } finally {
    added?.release();
    input.release();
  }
}

/**
 * The per-thread tile scratch and (indirect GEMM only) the zero row {@link wasmGemmConv2d}
 * uses for `kernel` (its `WasmKernel` id): the indirect GEMM's row pointers per tap, the narrow
 * GEMM's interleaved input rows (GEMM_MR × inChannels floats); `prepareWeights` reserves them
 * too, so a first predict grows no buffer mid-queue.
 */
export function gemmBuffers(
  runtime: WasmRuntime,
  op: string,
  g: Conv2dGeometry,
  kernel: number | undefined,
): { scratch: { address: number; stride: number }; zero: number } {
  const words = kernel === WasmKernel.gemmNarrow ? g.inChannels : g.kernelHeight * g.kernelWidth;
  const scratch = runtime.scratch(op, GEMM_MR * words * 4);
  const direct = kernel === WasmKernel.gemm || kernel === WasmKernel.gemmNarrow;
  return { scratch, zero: direct ? 0 : runtime.zeros(op, g.inChannels * 4) };
}
