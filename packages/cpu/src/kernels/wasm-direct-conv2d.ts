import type { Conv2dGeometry, ConvKernelInputs, Tensor } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import type { CpuConvVariant, WasmVariant } from '../variants.js';
import { GEMM_MR } from '../wasm/job-layout.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { writeJob } from '../wasm/write-job.js';
import { packedGemm } from './packed-weights.js';
import { requireWasmRuntime } from './require-wasm-runtime.js';

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/**
 * Bytes of per-thread scratch the direct convolution (assembly/direct-conv.ts) needs: a pointer
 * list of GEMM_MR addresses per micro-kernel tap (a kernel row, or a kernel tap when
 * dilationWidth > 1), then kernelHeight staged input rows, each spanning the input pixels one
 * output row's windows cover (rounded up to whole tiles), padding included.
 */
function directConvScratchBytes(g: Conv2dGeometry): number {
  const taps = g.dilationWidth === 1 ? g.kernelHeight : g.kernelHeight * g.kernelWidth;
  const tiled = Math.ceil(g.outWidth / GEMM_MR) * GEMM_MR;
  const rowPixels = (tiled - 1) * g.strideWidth + (g.kernelWidth - 1) * g.dilationWidth + 1;
  return align16(GEMM_MR * taps * 4) + g.kernelHeight * align16(rowPixels * g.inChannels * 4);
}

/**
 * Standard convolution for few input channels (the stem) by direct convolution: output rows of
 * the batch split among threads; each thread stages the input rows an output row reads, with
 * their padding, in its scratch and runs the GEMM micro-kernel over them, on the packed GEMM
 * weights.
 */
export function wasmDirectConv2d(
  ctx: CpuContext,
  variant: WasmVariant<CpuConvVariant>,
  { x, filter, bias, geometry: g }: ConvKernelInputs<Tensor>,
  y: CpuTensor,
): void {
  const op = variant.op;
  const runtime = requireWasmRuntime(ctx, op, variant);
  const work = g.batch * g.outHeight * g.outWidth * g.kernelHeight * g.kernelWidth * g.inChannels * g.outChannels;
  runtime.prepare(work);
  const input = ctx.input(op, 'x', x);
  try {
    const w = packedGemm(ctx, op, 'filter', filter, bias, g);
    const scratch = directConvScratch(runtime, op, g);
    writeJob(ctx.heap.ints(), ctx.heap.floats(), runtime.job, g, {
      kernel: variant.wasmKernel,
      x: input.address,
      w,
      y: y.address,
      scratch: scratch.address,
      scratchStride: scratch.stride,
    });
    runtime.launch(op, g.batch * g.outHeight, 1, work);
  } finally {
    input.release();
  }
}

/** The per-thread scratch {@link wasmDirectConv2d} stages rows in (also reserved by `prepareWeights`). */
export function directConvScratch(runtime: WasmRuntime, op: string, g: Conv2dGeometry): { address: number; stride: number } {
  return runtime.scratch(op, directConvScratchBytes(g));
}
