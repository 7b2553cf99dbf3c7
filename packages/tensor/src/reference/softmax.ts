import type { SoftmaxGeometry } from '../softmax-geometry.js';

/**
 * Reference softmax over the last axis of row-major float32 data: the one host implementation
 * the reference backend, the CPU backend and MobileNet's host fallback share. Writes into `out`
 * (a new array by default; it may not alias `x`), `geometry.rows × geometry.rowLength`
 * elements, and returns it.
 *
 * `y[r, i] = exp(x[r, i] − max_r) / Σ_j exp(x[r, j] − max_r)`, in float64 and rounded to
 * float32 once; subtracting the row maximum keeps `exp` from overflowing for large logits.
 *
 * Non-finite rows follow what that formula gives in IEEE arithmetic, as TensorFlow and ONNX
 * Runtime compute it (the contract of `Backend.softmax`, which every backend follows):
 * - a row containing NaN or +Infinity is all NaN (`+∞ − max` is `∞ − ∞`, NaN, and the sum is NaN);
 * - a −Infinity entry in an otherwise usable row gives 0 (`exp(−∞) = 0`);
 * - a row of only −Infinity is all NaN (its maximum is −∞ and `−∞ − (−∞)` is NaN).
 * Legend: r row, i element within the row, base r's first flat index.
 */
export function referenceSoftmax(
  x: Float32Array,
  geometry: SoftmaxGeometry,
  out: Float32Array = new Float32Array(geometry.rows * geometry.rowLength),
): Float32Array {
  const { rows, rowLength } = geometry;
  for (let r = 0; r < rows; r++) {
    const base = r * rowLength;
    let max = -Infinity;
    let sawNaN = false;
    for (let i = 0; i < rowLength; i++) {
      const v = x[base + i]!;
      if (v > max) max = v;
      else if (Number.isNaN(v)) sawNaN = true;
    }
    // The three cases the formula turns into NaN, written out rather than left to exp(NaN).
    if (sawNaN || max === Infinity || max === -Infinity) {
      out.fill(Number.NaN, base, base + rowLength);
      continue;
    }
    let sum = 0;
    for (let i = 0; i < rowLength; i++) sum += Math.exp(x[base + i]! - max);
    for (let i = 0; i < rowLength; i++) out[base + i] = Math.exp(x[base + i]! - max) / sum;
  }
  return out;
}
