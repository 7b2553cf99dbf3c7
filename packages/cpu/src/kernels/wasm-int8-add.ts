import type { BinaryGeometry, QuantizedAddKernelInputs } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuQuantizedTensor } from '../cpu-quantized-tensor.js';
import { WasmKernel } from '../wasm/job-layout.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { writeSlots } from '../wasm/write-job.js';

/** Scratch per thread: three packed requantization blocks of four channels (assembly/int8-add.ts). */
const ADD_SCRATCH_BYTES = 3 * 4 * 24;
/** Elements per vector step of the kernel: threads split the elements in multiples of it. */
const ADD_GRANULE = 16;
/** Work per element given to the thread-split heuristic: twelve 64-bit lane products, about a 16-tap multiply-add. */
const ADD_WORK = 16;
/** The largest left shift for which (q − zeroPoint) · 2^leftShift fits int32 for every int8 q and zero point (255 · 2^23 < 2^31). */
const MAX_LEFT_SHIFT = 23;

/**
 * Whether the wasm kernel runs this addition: equal shapes (the residual adds of MobileNetV2;
 * broadcasts run the reference loop) and a left shift whose scaled inputs fit int32, so that the
 * kernel's int32 arithmetic is the reference's exact one.
 */
export function wasmInt8AddSupports(g: BinaryGeometry, leftShift: number): boolean {
  const size = (shape: readonly number[]) => shape.reduce((product, dim) => product * dim, 1);
  return size(g.aShape) === g.size && size(g.bShape) === g.size && Number.isInteger(leftShift) && leftShift >= 0 && leftShift <= MAX_LEFT_SHIFT;
}

/**
 * `quantizedAdd` of two equal-shaped int8 tensors into `y`, bit for bit as the reference (see
 * assembly/int8-add.ts), elements split among threads. The per-tensor integers travel in job
 * slots the kernel names by the same mapping (`ADD_SLOTS`).
 */
export function wasmInt8Add(
  ctx: CpuContext,
  runtime: WasmRuntime,
  { a, b, geometry: g, requantization: r }: QuantizedAddKernelInputs,
  y: CpuQuantizedTensor,
): void {
  const work = g.size * ADD_WORK;
  runtime.prepare(work);
  const scratch = runtime.scratch('quantizedAdd', ADD_SCRATCH_BYTES);
  const aInput = ctx.int8Input('quantizedAdd', 'a', a);
  try {
    const bInput = ctx.int8Input('quantizedAdd', 'b', b);
    try {
      // Read the job address only now: the inputs' allocations may have run the queue.
      writeSlots(ctx.heap.ints(), ctx.heap.floats(), runtime.job, {
        kernel: WasmKernel.int8Add,
        x: aInput.address,
        w: bInput.address,
        y: y.address,
        scratch: scratch.address,
        scratchStride: scratch.stride,
        // The slots assembly/int8-add.ts reads the per-tensor integers from (ADD_SLOTS).
        multiplier: r.leftShift,
        strideHeight: r.aZeroPoint,
        strideWidth: r.aMultiplier,
        dilationHeight: r.aShift,
        dilationWidth: r.bZeroPoint,
        padTop: r.bMultiplier,
        padLeft: r.bShift,
        kernelHeight: r.outputMultiplier,
        kernelWidth: r.outputShift,
        outputZeroPoint: r.outputZeroPoint,
        activationMin: r.activationMin,
        activationMax: r.activationMax,
      });
      runtime.launch('quantizedAdd', g.size, ADD_GRANULE, work);
    } finally {
      bInput.release();
    }
  } finally {
    aInput.release();
  }
}
