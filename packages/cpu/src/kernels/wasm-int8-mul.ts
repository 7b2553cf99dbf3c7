import type { QuantizedMulKernelInputs } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuQuantizedTensor } from '../cpu-quantized-tensor.js';
import { WasmKernel } from '../wasm/job-layout.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { writeSlots } from '../wasm/write-job.js';
import type { Int8BroadcastLayout } from './int8-broadcast-layout.js';

/** Scratch per thread: a packed requantization block of four channels (assembly/int8-mul.ts). */
const MUL_SCRATCH_BYTES = 4 * 24;
/** Work per element given to the thread-split heuristic: about the int8 add's. */
const MUL_WORK = 12;
/**
 * `quantizedMul` into `y`, bit for bit as the reference (see assembly/int8-mul.ts), rows split
 * among threads. Multiplication commutes, so a broadcast `a` is passed as the kernel's `b` with
 * the zero points swapped too.
 */
export function wasmInt8Mul(ctx: CpuContext, runtime: WasmRuntime, inputs: QuantizedMulKernelInputs, layout: Int8BroadcastLayout, y: CpuQuantizedTensor): void {
  const { geometry: g, requantization: r } = inputs;
  const [full, other] = layout.swap ? [inputs.b, inputs.a] : [inputs.a, inputs.b];
  const [fullZeroPoint, otherZeroPoint] = layout.swap ? [r.bZeroPoint, r.aZeroPoint] : [r.aZeroPoint, r.bZeroPoint];
  const work = g.size * MUL_WORK;
  runtime.prepare(work);
  const scratch = runtime.scratch('quantizedMul', MUL_SCRATCH_BYTES);
  const fullInput = ctx.int8Input('quantizedMul', layout.swap ? 'b' : 'a', full);
  try {
    const otherInput = ctx.int8Input('quantizedMul', layout.swap ? 'a' : 'b', other);
    try {
      writeSlots(ctx.heap.ints(), ctx.heap.floats(), runtime.job, {
        kernel: WasmKernel.int8Mul,
        x: fullInput.address,
        w: otherInput.address,
        y: y.address,
        scratch: scratch.address,
        scratchStride: scratch.stride,
        // The slots assembly/int8-mul.ts reads its layout and integers from.
        batch: g.size,
        inChannels: layout.rowLength,
        inHeight: Math.min(layout.rowsPerB, 2 ** 31 - 1),
        inWidth: layout.bRowStride,
        outChannels: layout.bStep,
        strideHeight: fullZeroPoint,
        strideWidth: otherZeroPoint,
        kernelHeight: r.multiplier,
        kernelWidth: r.shift,
        outputZeroPoint: r.outputZeroPoint,
        activationMin: r.activationMin,
        activationMax: r.activationMax,
      });
      runtime.launch('quantizedMul', Math.ceil(g.size / layout.rowLength), 1, work);
    } finally {
      otherInput.release();
    }
  } finally {
    fullInput.release();
  }
}
