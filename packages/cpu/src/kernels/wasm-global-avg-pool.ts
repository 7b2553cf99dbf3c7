import type { GlobalPool2dKernelInputs, Tensor } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { WasmKernel } from '../wasm/job-layout.js';
import { writeSlots } from '../wasm/write-job.js';
import { ELEMENT_WORK } from './wasm-activation.js';

/** Channels of one unit of work: one 64-byte cache line of a pixel (assembly/global-avg-pool.ts). */
const CHANNEL_GROUP = 16;

/**
 * Global average pooling NHWC `[batch, inHeight, inWidth, channels]` → `[batch, 1, 1, channels]`,
 * summed in float64 as the reference, so the means agree with it bit for bit. Units of (image,
 * 16 channels) split among threads. `geometry.type` must be `'avg'`.
 */
export function wasmGlobalAvgPool(ctx: CpuContext, runtime: WasmRuntime, { x, geometry: g }: GlobalPool2dKernelInputs<Tensor>, y: CpuTensor): void {
  const op = 'globalPool2d';
  const pixels = g.inHeight * g.inWidth;
  const work = g.batch * pixels * g.channels * ELEMENT_WORK;
  runtime.prepare(work);
  const input = ctx.input(op, 'x', x);
  try {
    writeSlots(ctx.heap.ints(), ctx.heap.floats(), runtime.job, {
      kernel: WasmKernel.globalAvgPool,
      x: input.address,
      y: y.address,
      batch: g.batch,
      inHeight: pixels,
      inChannels: g.channels,
    });
    runtime.launch(op, g.batch * Math.ceil(g.channels / CHANNEL_GROUP), 1, work);
  } finally {
    input.release();
  }
}
