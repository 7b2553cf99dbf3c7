import type { BinaryGeometry, QuantizedTensor } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuQuantizedTensor } from '../cpu-quantized-tensor.js';
import type { JobSlot } from '../wasm/job-layout.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { writeSlots } from '../wasm/write-job.js';
import type { Int8BroadcastLayout } from './int8-broadcast-layout.js';

/** Job slots an int8 binary kernel reads beyond the operands, layout and epilogue. */
export type Int8BinarySlots = Partial<Record<keyof typeof JobSlot, number>>;

/** One int8 binary op's kernel (`quantizedAdd`, `quantizedMul`), as {@link launchInt8Binary} queues it. */
export interface Int8BinaryKernel {
  /** The op, for errors and the scratch and launch labels. */
  readonly op: string;
  /** The kernel id (`WasmKernel`). */
  readonly kernel: number;
  /** Scratch bytes per thread the kernel needs. */
  readonly scratchBytes: number;
  /** Work per element given to the thread-split heuristic. */
  readonly workPerElement: number;
}

/** One call's operands as the caller named them (`layout.swap` passes `a` as the kernel's `w`), walk and output. */
export interface Int8BinaryJob {
  readonly inputs: { readonly a: QuantizedTensor; readonly b: QuantizedTensor; readonly geometry: BinaryGeometry };
  readonly layout: Int8BroadcastLayout;
  readonly y: CpuQuantizedTensor;
}

/**
 * Queues an int8 binary kernel into `y`, rows of `layout.rowLength` split among threads: the
 * operands (swapped when `layout.swap`, so the kernel's `x` is the full-size one) copied into
 * the heap, the shared layout slots written beside the op's `slots` (its per-tensor integers
 * and epilogue, already ordered for `layout.swap`). The layout travels as batch (elements),
 * inChannels (row length), inHeight (rows per b row), inWidth (b's row stride) and outChannels
 * (b's step).
 */
export function launchInt8Binary(ctx: CpuContext, runtime: WasmRuntime, kernel: Int8BinaryKernel, job: Int8BinaryJob, slots: Int8BinarySlots): void {
  const { op } = kernel;
  const { inputs, layout, y } = job;
  const size = inputs.geometry.size;
  const [x, w] = layout.swap ? [inputs.b, inputs.a] : [inputs.a, inputs.b];
  const [xArgument, wArgument] = layout.swap ? ['b', 'a'] : ['a', 'b'];
  const work = size * kernel.workPerElement;
  runtime.prepare(work);
  const scratch = runtime.scratch(op, kernel.scratchBytes);
  const xInput = ctx.int8Input(op, xArgument, x);
  try {
    const wInput = ctx.int8Input(op, wArgument, w);
    try {
      // Read the job address only now: the inputs' allocations may have run the queue.
      writeSlots(ctx.heap.ints(), ctx.heap.floats(), runtime.job, {
        kernel: kernel.kernel,
        x: xInput.address,
        w: wInput.address,
        y: y.address,
        scratch: scratch.address,
        scratchStride: scratch.stride,
        batch: size,
        inChannels: layout.rowLength,
        inHeight: Math.min(layout.rowsPerB, 2 ** 31 - 1),
        inWidth: layout.bRowStride,
        outChannels: layout.bStep,
        ...slots,
      });
      runtime.launch(op, Math.ceil(size / layout.rowLength), 1, work);
    } finally {
      wInput.release();
    }
  } finally {
    xInput.release();
  }
}
