import type { ConvKernelInputs, Tensor } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import type { CpuConvVariant, WasmVariant } from '../variants.js';
import { GEMM_MR, WasmKernel } from '../wasm/job-layout.js';
import { writeJob } from '../wasm/write-job.js';
import { packedGemm } from './packed-weights.js';
import { requireWasmRuntime } from './require-wasm-runtime.js';

/**
 * Pointwise and standard convolution on the GEMM micro-kernel: `direct` (pointwise, or a
 * 1×1 stride-1 unpadded conv2d) reads input rows in place; otherwise an indirect GEMM walks
 * the kernelHeight·kernelWidth taps through per-tile pointer lists, padding taps pointing at
 * a zero buffer. Output pixels split among threads in multiples of the micro-kernel's GEMM_MR rows.
 */
export function wasmGemmConv2d(
  ctx: CpuContext,
  variant: WasmVariant<CpuConvVariant>,
  { x, filter, bias, geometry: g }: ConvKernelInputs<Tensor>,
  y: CpuTensor,
): void {
  const op = variant.op;
  const runtime = requireWasmRuntime(ctx, op, variant);
  const direct = variant.wasmKernel === WasmKernel.gemm;
  const pixels = g.batch * g.outHeight * g.outWidth;
  const taps = g.kernelHeight * g.kernelWidth;
  const work = pixels * taps * g.inChannels * g.outChannels;
  runtime.prepare(work);
  const input = ctx.input(op, 'x', x);
  try {
    const w = packedGemm(ctx, op, 'filter', filter, bias, g);
    const scratch = runtime.scratch(op, GEMM_MR * taps * 4);
    const zero = direct ? 0 : runtime.zeros(op, g.inChannels * 4);
    writeJob(ctx.heap.ints(), ctx.heap.floats(), runtime.job, g, {
      kernel: variant.wasmKernel,
      x: input.address,
      w,
      y: y.address,
      zero,
      scratch: scratch.address,
      scratchStride: scratch.stride,
    });
    runtime.launch(op, pixels, GEMM_MR, work);
  } finally {
    input.release();
  }
}
