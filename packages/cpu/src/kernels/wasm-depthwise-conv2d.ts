import type { Conv2dGeometry, ConvKernelInputs, Tensor } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import type { CpuConvVariant, WasmVariant } from '../variants.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { writeJob } from '../wasm/write-job.js';
import { packedDepthwise } from './packed-weights.js';
import { requireWasmRuntime } from './require-wasm-runtime.js';

/**
 * Depthwise convolution on the wasm kernel the variant names (`variant.wasmKernel`: 3×3 stride
 * 1 or 2, or generic): output rows of the batch split among threads; the 3×3 kernels read a
 * zero row (one input row long) for rows in the padding.
 */
export function wasmDepthwiseConv2d(
  ctx: CpuContext,
  variant: WasmVariant<CpuConvVariant>,
  { x, filter, bias, geometry: g }: ConvKernelInputs<Tensor>,
  y: CpuTensor,
): void {
  const op = 'depthwiseConv2d';
  const runtime = requireWasmRuntime(ctx, op, variant);
  const work = g.batch * g.outHeight * g.outWidth * g.outChannels * g.kernelHeight * g.kernelWidth;
  runtime.prepare(work);
  const input = ctx.input(op, 'x', x);
  try {
    const w = packedDepthwise(ctx, op, 'filter', filter, bias, g);
    const zero = depthwiseZeros(runtime, op, g);
    writeJob(ctx.heap.ints(), ctx.heap.floats(), runtime.job, g, { kernel: variant.wasmKernel, x: input.address, w, y: y.address, zero });
    runtime.launch(op, g.batch * g.outHeight, 1, work);
  } finally {
    input.release();
  }
}

/** The zero row {@link wasmDepthwiseConv2d} reads for rows in the padding (also reserved by `prepareWeights`). */
export function depthwiseZeros(runtime: WasmRuntime, op: string, g: Conv2dGeometry): number {
  return runtime.zeros(op, g.inWidth * g.inChannels * 4);
}
