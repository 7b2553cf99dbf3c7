import type { Conv2dGeometry, ConvKernelInputs, Tensor } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import type { CpuConvVariant, WasmVariant } from '../variants.js';
import { DIRECT_CONV_PIXELS } from '../wasm/job-layout.js';
import { writeJob } from '../wasm/write-job.js';
import { packedGemm } from './packed-weights.js';
import { requireWasmRuntime } from './require-wasm-runtime.js';

/**
 * Bytes of per-thread scratch the direct convolution (assembly/direct-conv.ts) needs:
 * kernelHeight staged input rows, each spanning the input pixels one output row's windows
 * cover (rounded up to whole tiles), padding included, 16-byte aligned.
 */
function directConvScratchBytes(g: Conv2dGeometry): number {
  const tiled = Math.ceil(g.outWidth / DIRECT_CONV_PIXELS) * DIRECT_CONV_PIXELS;
  const rowPixels = (tiled - 1) * g.strideWidth + (g.kernelWidth - 1) * g.dilationWidth + 1;
  return g.kernelHeight * Math.ceil((rowPixels * g.inChannels * 4) / 16) * 16;
}

/**
 * Standard convolution for few input channels (the stem) by direct convolution: output rows of
 * the batch split among threads; each thread stages the input rows an output row reads, with
 * their padding, in its scratch and runs a 4-pixel × 8-channel tile over them, on the packed
 * GEMM weights.
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
    const scratch = runtime.scratch(op, directConvScratchBytes(g));
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
