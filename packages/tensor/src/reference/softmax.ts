import type { SoftmaxGeometry } from '../softmax-geometry.js';

/**
 * Reference softmax over the last axis: `y[r, i] = exp(x[r, i] − max_r) / Σ_j exp(x[r, j] − max_r)`.
 * Subtracting the row maximum keeps `exp` from overflowing for large logits without changing
 * the result; the sum accumulates in float64. A NaN anywhere in a row makes the whole row NaN
 * (the maximum and the sum both become NaN), as in tfjs and ONNX Runtime.
 */
export function referenceSoftmax(x: Float32Array, g: SoftmaxGeometry): Float32Array {
  const out = new Float32Array(g.rows * g.rowLength);
  for (let r = 0; r < g.rows; r++) {
    const base = r * g.rowLength;
    let max = -Infinity;
    let sawNaN = false;
    for (let i = 0; i < g.rowLength; i++) {
      const v = x[base + i]!;
      if (Number.isNaN(v)) sawNaN = true;
      else if (v > max) max = v;
    }
    if (sawNaN) max = NaN;
    let sum = 0;
    for (let i = 0; i < g.rowLength; i++) sum += Math.exp(x[base + i]! - max);
    for (let i = 0; i < g.rowLength; i++) out[base + i] = Math.exp(x[base + i]! - max) / sum;
  }
  return out;
}
