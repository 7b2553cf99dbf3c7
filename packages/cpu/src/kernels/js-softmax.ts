import type { SoftmaxGeometry } from '@sepconv/tensor';

/**
 * Softmax over the last axis, row by row: subtract the row maximum so `exp` cannot overflow,
 * sum in float64 (a JS number) as the reference does, then scale. A NaN in a row makes the
 * maximum NaN and so the whole row NaN. A plain loop: the op runs once, on the classifier's
 * `[batch, classes]` logits at the end of the network.
 * Legend: r row, i element within the row, base r's first flat index.
 */
export function jsSoftmax(x: Float32Array, out: Float32Array, geometry: SoftmaxGeometry): void {
  const { rows, rowLength } = geometry;
  for (let r = 0; r < rows; r++) {
    const base = r * rowLength;
    let max = -Infinity;
    for (let i = 0; i < rowLength; i++) {
      const v = x[base + i]!;
      // `v > max` is false for NaN, so NaN needs its own test to reach the maximum.
      if (v > max || Number.isNaN(v)) max = v;
      if (Number.isNaN(max)) break;
    }
    let sum = 0;
    for (let i = 0; i < rowLength; i++) {
      const e = Math.exp(x[base + i]! - max);
      out[base + i] = e;
      sum += e;
    }
    for (let i = 0; i < rowLength; i++) out[base + i] = out[base + i]! / sum;
  }
}
