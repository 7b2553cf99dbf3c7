import type { QuantizedMulKernelInputs } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuQuantizedTensor } from '../cpu-quantized-tensor.js';
import { WasmKernel } from '../wasm/job-layout.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import type { Int8BroadcastLayout } from './int8-broadcast-layout.js';
import { type Int8BinaryKernel, type Int8BinarySlots, launchInt8Binary } from './launch-int8-binary.js';

/** Scratch per thread: a packed requantization block of four channels (assembly/int8-mul.ts). */
const MUL_SCRATCH_BYTES = 4 * 24;
/** Work per element given to the thread-split heuristic: about the int8 add's. */
const MUL_WORK = 12;

/** The kernel {@link launchInt8Binary} queues. */
const MUL_KERNEL: Int8BinaryKernel = { op: 'quantizedMul', kernel: WasmKernel.int8Mul, scratchBytes: MUL_SCRATCH_BYTES, workPerElement: MUL_WORK };

/**
 * `quantizedMul` into `y`, bit for bit as the reference (see assembly/int8-mul.ts), rows split
 * among threads. Multiplication commutes, so a broadcast `a` is passed as the kernel's `b` with
 * the zero points swapped too.
 */
export function wasmInt8Mul(
  ctx: CpuContext,
  runtime: WasmRuntime,
  inputs: QuantizedMulKernelInputs,
  layout: Int8BroadcastLayout,
  y: CpuQuantizedTensor,
): void {
  const r = inputs.requantization;
  const [fullZeroPoint, otherZeroPoint] = layout.swap ? [r.bZeroPoint, r.aZeroPoint] : [r.aZeroPoint, r.bZeroPoint];
  const slots: Int8BinarySlots = {
    // The slots assembly/int8-mul.ts reads its integers from.
    strideHeight: fullZeroPoint,
    strideWidth: otherZeroPoint,
    kernelHeight: r.multiplier,
    kernelWidth: r.shift,
    outputZeroPoint: r.outputZeroPoint,
    activationMin: r.activationMin,
    activationMax: r.activationMax,
  };
  launchInt8Binary(ctx, runtime, MUL_KERNEL, { inputs, layout, y }, slots);
}
