import type { QuantizedSeparableKernelInputs } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuQuantizedTensor } from '../cpu-quantized-tensor.js';
import type { CpuQuantizedSeparableVariant } from '../quantized-variants.js';
import { INT8_GEMM_MR, JobSlot } from '../wasm/job-layout.js';
import { writeJob } from '../wasm/write-job.js';
import { floatIndex } from '../heap.js';
import { int8ActivationPanelBytes, writeInt8Epilogue, zeroPointBuffer } from './launch-int8-conv.js';
import { packedInt8Depthwise, packedInt8Gemm } from './packed-int8-weights.js';
import { requireWasmRuntime } from './require-wasm-runtime.js';

/**
 * Output rows the fused int8 kernel runs per GEMM call: the fewest whose pixels are a multiple of
 * the micro-kernel's 4 rows (1, 2 or 4). assembly/int8-sepconv.ts applies the same rule; this one sizes its scratch.
 */
function fusedInt8RowGroup(outWidth: number): number {
  return outWidth % 4 === 0 ? 1 : outWidth % 2 === 0 ? 2 : 4;
}

/**
 * Fused int8 separable convolution: each thread takes output rows; for each it runs the depthwise
 * step into its scratch (one int8 row of the intermediate, requantized as the separate op would)
 * and the pointwise GEMM straight from there, so the intermediate tensor never goes to memory.
 */
export function wasmInt8SeparableConv2d(
  ctx: CpuContext,
  variant: CpuQuantizedSeparableVariant & { readonly wasmKernel: number },
  { x, depthwiseWeights, pointwiseWeights, geometry }: QuantizedSeparableKernelInputs,
  y: CpuQuantizedTensor,
): void {
  const op = 'quantizedSeparableConv2d';
  const runtime = requireWasmRuntime(ctx, op, variant);
  const g = geometry.depthwise;
  const p = geometry.pointwise;
  const taps = g.kernelHeight * g.kernelWidth;
  const pixels = g.batch * g.outHeight * g.outWidth;
  const work = pixels * g.outChannels * (taps + p.outChannels);
  runtime.prepare(work);
  const input = ctx.int8Input(op, 'x', x);
  const padding = zeroPointBuffer(runtime, op, depthwiseWeights.requantization.inputZeroPoint, g.inChannels + 16);
  try {
    const w = packedInt8Depthwise(ctx, op, depthwiseWeights);
    const pointwiseW = packedInt8Gemm(ctx, op, pointwiseWeights);
    // Scratch layout (assembly/int8-sepconv.ts): row and tap pointers to a 64-byte boundary, then a group of intermediate rows
    // (+ vector slack), then from a 64-byte boundary the pointwise GEMM's int16 activation panel.
    const middleOffset = Math.ceil(((INT8_GEMM_MR + taps) * 4) / 64) * 64;
    const panelOffset = Math.ceil((middleOffset + fusedInt8RowGroup(g.outWidth) * g.outWidth * g.outChannels + 64) / 64) * 64;
    const scratch = runtime.scratch(op, panelOffset + int8ActivationPanelBytes(1, g.outChannels));
    const heap = runtime.heap;
    const ints = heap.ints();
    const job = runtime.job;
    writeJob(ints, heap.floats(), job, g, {
      kernel: variant.wasmKernel,
      x: input.address,
      w,
      y: y.address,
      zero: padding.address,
      scratch: scratch.address,
      scratchStride: scratch.stride,
    });
    writeInt8Epilogue(ints, job, depthwiseWeights.requantization);
    writeInt8Epilogue(ints, job, pointwiseWeights.requantization, {
      zeroPoint: JobSlot.pointwiseOutputZeroPoint,
      min: JobSlot.pointwiseActivationMin,
      max: JobSlot.pointwiseActivationMax,
    });
    const base = floatIndex(job);
    ints[base + JobSlot.pointwiseW] = pointwiseW;
    ints[base + JobSlot.pointwiseChannels] = p.outChannels;
    runtime.launch(op, g.batch * g.outHeight, fusedInt8RowGroup(g.outWidth), work);
  } finally {
    padding.release();
    input.release();
  }
}
