import type { GlobalPool2dGeometry } from '../global-pool2d-geometry.js';

/**
 * Reference global pooling of NHWC to `[batch, 1, 1, channels]`:
 * `avg`: `y[b, 0, 0, c] = Σ_{iy, ix} x[b, iy, ix, c] / (inHeight · inWidth)`, summed in float64;
 * `max`: the largest `x[b, iy, ix, c]`, NaN if any is NaN.
 * Writes into `out` (a new array by default).
 * Legend: b batch, p pixel (iy · inWidth + ix), c channel.
 */
export function referenceGlobalPool2d(x: Float32Array, g: GlobalPool2dGeometry, out: Float32Array = new Float32Array(g.size)): Float32Array {
  const pixels = g.inHeight * g.inWidth;
  for (let b = 0; b < g.batch; b++) {
    for (let c = 0; c < g.channels; c++) {
      let sum = 0;
      let max = -Infinity;
      for (let p = 0; p < pixels; p++) {
        const v = x[(b * pixels + p) * g.channels + c]!;
        sum += v;
        if (v > max || Number.isNaN(v)) max = v;
      }
      out[b * g.channels + c] = g.type === 'avg' ? sum / pixels : max;
    }
  }
  return out;
}
