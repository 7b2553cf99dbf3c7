import { activate } from '../activation.js';
import type { BinaryGeometry, BinaryOp } from '../binary-geometry.js';

/** The arithmetic of each {@link BinaryOp}, in float64 (rounded to float32 by the caller). */
const BINARY_FUNCTIONS = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
} satisfies Record<BinaryOp, (a: number, b: number) => number>;

/**
 * Reference element-wise binary op with broadcasting:
 * `y[i0, …, ik] = act(fround(a[Σ i·aStrides] ∘ b[Σ i·bStrides]))` for `∘` = `+ − × ÷`.
 * The exact float64 result of two float32 values rounded once to float32 is the IEEE float32
 * result, so this is what a float32 ALU computes; `x / 0` is ±Infinity and `0 / 0` NaN.
 * Walks the result row-major, the last axis innermost, carrying each operand's offset.
 * Writes into `out` (a new array by default) and returns it.
 * Legend: o flat result index of a last-axis row, i position in that row, axis odometer digit.
 */
export function referenceBinary(a: Float32Array, b: Float32Array, g: BinaryGeometry, out: Float32Array = new Float32Array(g.size)): Float32Array {
  const combine = BINARY_FUNCTIONS[g.op];
  const { shape, aStrides, bStrides } = g;
  const rank = shape.length;
  const rowLength = rank === 0 ? 1 : shape[rank - 1]!;
  const aStep = aStrides[rank - 1] ?? 0;
  const bStep = bStrides[rank - 1] ?? 0;
  const index = new Array<number>(rank).fill(0);
  let aBase = 0;
  let bBase = 0;
  for (let o = 0; o < g.size; o += rowLength) {
    for (let i = 0; i < rowLength; i++) {
      out[o + i] = activate(Math.fround(combine(a[aBase + i * aStep]!, b[bBase + i * bStep]!)), g.activation);
    }
    for (let axis = rank - 2; axis >= 0; axis--) {
      aBase += aStrides[axis]!;
      bBase += bStrides[axis]!;
      if (++index[axis]! < shape[axis]!) break;
      aBase -= aStrides[axis]! * shape[axis]!;
      bBase -= bStrides[axis]! * shape[axis]!;
      index[axis] = 0;
    }
  }
  return out;
}
