import type { BinaryGeometry, QuantizedAddKernelInputs } from '@sepconv/tensor';
import { int8BroadcastLayout, type Int8BroadcastLayout } from './int8-broadcast-layout.js';
import type { CpuContext } from '../cpu-context.js';
import type { CpuQuantizedTensor } from '../cpu-quantized-tensor.js';
import { WasmKernel } from '../wasm/job-layout.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { type Int8BinaryKernel, type Int8BinarySlots, launchInt8Binary } from './launch-int8-binary.js';

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

/** The kernel {@link launchInt8Binary} queues. */
const ADD_KERNEL: Int8BinaryKernel = { op: 'quantizedAdd', kernel: WasmKernel.int8Add, scratchBytes: ADD_SCRATCH_BYTES, workPerElement: ADD_WORK };

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
  const r = inputs.requantization;
  const aSide = layout.swap ? [r.bZeroPoint, r.bMultiplier, r.bShift] : [r.aZeroPoint, r.aMultiplier, r.aShift];
  const bSide = layout.swap ? [r.aZeroPoint, r.aMultiplier, r.aShift] : [r.bZeroPoint, r.bMultiplier, r.bShift];
  const slots: Int8BinarySlots = {
    // The slots assembly/int8-add.ts reads its per-tensor integers from.
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
  };
  launchInt8Binary(ctx, runtime, ADD_KERNEL, { inputs, layout, y }, slots);
}
