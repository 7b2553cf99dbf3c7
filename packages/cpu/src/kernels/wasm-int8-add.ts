import type { BinaryGeometry, QuantizedAddKernelInputs } from '@sepconv/tensor';
import { int8BroadcastLayout, type Int8BroadcastLayout } from './int8-broadcast-layout.js';
import type { CpuContext } from '../cpu-context.js';
import type { CpuQuantizedTensor } from '../cpu-quantized-tensor.js';
import { WasmKernel } from '../wasm/job-layout.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { writeSlots } from '../wasm/write-job.js';

/** Scratch per thread: three packed requantization blocks of four channels (assembly/int8-add.ts). */
const ADD_SCRATCH_BYTES = 3 * 4 * 24;
/** Work per element given to the thread-split heuristic: twelve 64-bit lane products, about a 16-tap multiply-add. */
const ADD_WORK = 16;
/** The largest left shift for which (q − zeroPoint) · 2^leftShift fits int32 for every int8 q and zero point (255 · 2^23 < 2^31). */
const MAX_LEFT_SHIFT = 23;

/**
 * How the wasm kernel walks this addition, or undefined when it does not run it: the broadcasts
 * of `int8BroadcastLayout` (equal shapes — MobileNetV2's residual adds —, a constant, a channel
 * row, an SE gate; others run the reference loop) with a left shift whose scaled inputs fit
 * int32, so that the kernel's int32 arithmetic is the reference's exact one.
 */
export function wasmInt8AddLayout(g: BinaryGeometry, leftShift: number): Int8BroadcastLayout | undefined {
  if (!Number.isInteger(leftShift) || leftShift < 0 || leftShift > MAX_LEFT_SHIFT) return undefined;
  return int8BroadcastLayout(g);
}

/**
 * `quantizedAdd` into `y`, bit for bit as the reference (see assembly/int8-add.ts), rows split
 * among threads. The per-tensor integers travel in job slots the kernel names by the same
 * mapping; a broadcast `a` is passed as the kernel's `b`, its integers with it (the sum commutes).
 */
export function wasmInt8Add(
  ctx: CpuContext,
  runtime: WasmRuntime,
  inputs: QuantizedAddKernelInputs,
  layout: Int8BroadcastLayout,
  y: CpuQuantizedTensor,
): void {
  const { geometry: g, requantization: r } = inputs;
  const [a, b] = layout.swap ? [inputs.b, inputs.a] : [inputs.a, inputs.b];
  const [aArgument, bArgument] = layout.swap ? ['b', 'a'] : ['a', 'b'];
  const aSide = layout.swap ? [r.bZeroPoint, r.bMultiplier, r.bShift] : [r.aZeroPoint, r.aMultiplier, r.aShift];
  const bSide = layout.swap ? [r.aZeroPoint, r.aMultiplier, r.aShift] : [r.bZeroPoint, r.bMultiplier, r.bShift];
  const work = g.size * ADD_WORK;
  runtime.prepare(work);
  const scratch = runtime.scratch('quantizedAdd', ADD_SCRATCH_BYTES);
  const aInput = ctx.int8Input('quantizedAdd', aArgument, a);
  try {
    const bInput = ctx.int8Input('quantizedAdd', bArgument, b);
    try {
      // Read the job address only now: the inputs' allocations may have run the queue.
      writeSlots(ctx.heap.ints(), ctx.heap.floats(), runtime.job, {
        kernel: WasmKernel.int8Add,
        x: aInput.address,
        w: bInput.address,
        y: y.address,
        scratch: scratch.address,
        scratchStride: scratch.stride,
        // The slots assembly/int8-add.ts reads its layout and per-tensor integers from.
        batch: g.size,
        inChannels: layout.rowLength,
        inHeight: Math.min(layout.rowsPerB, 2 ** 31 - 1),
        inWidth: layout.bRowStride,
        outChannels: layout.bStep,
        multiplier: r.leftShift,
        strideHeight: aSide[0]!,
        strideWidth: aSide[1]!,
        dilationHeight: aSide[2]!,
        dilationWidth: bSide[0]!,
        padTop: bSide[1]!,
        padLeft: bSide[2]!,
        kernelHeight: r.outputMultiplier,
        kernelWidth: r.outputShift,
        outputZeroPoint: r.outputZeroPoint,
        activationMin: r.activationMin,
        activationMax: r.activationMax,
      });
      runtime.launch('quantizedAdd', Math.ceil(g.size / layout.rowLength), 1, work);
    } finally {
      bInput.release();
    }
  } finally {
    aInput.release();
  }
}
