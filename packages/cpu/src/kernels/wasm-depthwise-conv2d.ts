import type { ConvKernelInputs, Tensor } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import type { CpuKernel } from '../variants.js';
import { WasmKernel } from '../wasm/job-layout.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { writeJob } from '../wasm/write-job.js';
import { packedDepthwise } from './packed-weights.js';

/** The wasm kernel id of a depthwise implementation. */
export function depthwiseKernelId(kernel: CpuKernel): number {
  if (kernel === 'dwconv-3x3s1') return WasmKernel.dwconv3x3s1;
  if (kernel === 'dwconv-3x3s2') return WasmKernel.dwconv3x3s2;
  return WasmKernel.dwconvGeneric;
}

/**
 * Depthwise convolution on the wasm kernels: output rows of the batch split among threads;
 * the 3×3 kernels read a zero row (one input row long) for rows in the padding.
 */
export function wasmDepthwiseConv2d(
  ctx: CpuContext,
  runtime: WasmRuntime,
  kernel: CpuKernel,
  { x, filter, bias, geometry: g }: ConvKernelInputs<Tensor>,
  y: CpuTensor,
): void {
  const op = 'depthwiseConv2d';
  const work = g.batch * g.outHeight * g.outWidth * g.outChannels * g.kernelHeight * g.kernelWidth;
  runtime.prepare(work);
  const input = ctx.input(op, 'x', x);
  try {
    const w = packedDepthwise(ctx, op, 'filter', filter, bias, g);
    const zero = runtime.zeros(op, g.inWidth * g.inChannels * 4);
    writeJob(ctx.heap.ints(), ctx.heap.floats(), runtime.job, g, { kernel: depthwiseKernelId(kernel), x: input.address, w, y: y.address, zero });
    runtime.launch(op, g.batch * g.outHeight, 1, work);
  } finally {
    input.release();
  }
}
