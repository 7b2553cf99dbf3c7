import type { BinaryGeometry, QuantizedMulKernelInputs } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuQuantizedTensor } from '../cpu-quantized-tensor.js';
import { WasmKernel } from '../wasm/job-layout.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';
import { writeSlots } from '../wasm/write-job.js';

/** Scratch per thread: a packed requantization block of four channels, then 16 bytes for partial stores (assembly/int8-mul.ts). */
const MUL_SCRATCH_BYTES = 4 * 24 + 16;
/** Elements per row when neither operand has rows of its own (equal shapes, a scalar): the unit threads split. */
const FLAT_ROW = 1024;
/** Work per element given to the thread-split heuristic: about the int8 add's. */
const MUL_WORK = 12;

/** How the kernel walks a broadcast multiplication (see assembly/int8-mul.ts); `swap`: the full operand is `b`. */
export interface Int8MulLayout {
  readonly swap: boolean;
  readonly rowLength: number;
  readonly rowsPerB: number;
  readonly bRowStride: number;
  readonly bStep: 0 | 1;
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((product, dim) => product * dim, 1);

/** The layout of a full `a` against `bShape`'s strides, or undefined for a broadcast the kernel does not walk. */
function layoutAgainst(g: BinaryGeometry, bStrides: readonly number[], bSize: number, swap: boolean): Int8MulLayout | undefined {
  const rank = g.shape.length;
  const channels = g.shape[rank - 1] ?? 1;
  if (bSize === g.size) return { swap, rowLength: FLAT_ROW, rowsPerB: 1, bRowStride: FLAT_ROW, bStep: 1 };
  if (bSize === 1) return { swap, rowLength: FLAT_ROW, rowsPerB: Number.MAX_SAFE_INTEGER, bRowStride: 0, bStep: 0 };
  if (rank < 2 || bStrides[rank - 1] !== 1 || bSize % channels !== 0) return undefined;
  const leading = bStrides.slice(0, rank - 1);
  // A channel vector: one row of b for every row of a.
  if (leading.every((stride) => stride === 0)) return { swap, rowLength: channels, rowsPerB: Number.MAX_SAFE_INTEGER, bRowStride: 0, bStep: 1 };
  // Squeeze-and-excitation: b is [N, 1, …, 1, C], one row per batch item, read by its H·W rows.
  if (leading[0] === channels && leading.slice(1).every((stride) => stride === 0)) {
    return { swap, rowLength: channels, rowsPerB: g.size / (g.shape[0]! * channels), bRowStride: channels, bStep: 1 };
  }
  return undefined;
}

/** The kernel's walk of `a · b` (either operand full, the other equal, a per-channel row, an SE gate or a scalar), or undefined. */
export function int8MulLayout(g: BinaryGeometry): Int8MulLayout | undefined {
  if (g.size === 0) return undefined;
  if (sizeOf(g.aShape) === g.size) return layoutAgainst(g, g.bStrides, sizeOf(g.bShape), false);
  if (sizeOf(g.bShape) === g.size) return layoutAgainst(g, g.aStrides, sizeOf(g.aShape), true);
  return undefined;
}

/**
 * `quantizedMul` into `y`, bit for bit as the reference (see assembly/int8-mul.ts), rows split
 * among threads. Multiplication commutes, so a broadcast `a` is passed as the kernel's `b` with
 * the zero points swapped too.
 */
export function wasmInt8Mul(ctx: CpuContext, runtime: WasmRuntime, inputs: QuantizedMulKernelInputs, layout: Int8MulLayout, y: CpuQuantizedTensor): void {
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
        multiplier: layout.bStep,
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
