import type { Pool2dGeometry } from '../pool2d-geometry.js';

/**
 * Reference windowed pooling, NHWC, with the window of output `(oy, ox)` clipped to the input:
 * rows `iy ∈ [oy·strideHeight − padTop, … + kernelHeight) ∩ [0, inHeight)`, likewise columns.
 * `avg`: `y[b, oy, ox, c] = Σ x[b, iy, ix, c] / count` over the clipped window, in float64
 * (padded cells excluded from the count, as TF and ONNX `count_include_pad=0`);
 * `max`: the largest `x[b, iy, ix, c]` in it, NaN if any is NaN (padded cells ignored).
 * Writes into `out` (a new array by default).
 * Legend: b batch, oy/ox output position, iy/ix input position, c channel.
 */
export function referencePool2d(x: Float32Array, g: Pool2dGeometry, out: Float32Array = new Float32Array(g.size)): Float32Array {
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      const top = oy * g.strideHeight - g.padTop;
      const yStart = Math.max(top, 0);
      const yEnd = Math.min(top + g.kernelHeight, g.inHeight);
      for (let ox = 0; ox < g.outWidth; ox++) {
        const left = ox * g.strideWidth - g.padLeft;
        const xStart = Math.max(left, 0);
        const xEnd = Math.min(left + g.kernelWidth, g.inWidth);
        const count = (yEnd - yStart) * (xEnd - xStart);
        for (let c = 0; c < g.channels; c++) {
          let sum = 0;
          let max = -Infinity;
          for (let iy = yStart; iy < yEnd; iy++) {
            for (let ix = xStart; ix < xEnd; ix++) {
              const v = x[((b * g.inHeight + iy) * g.inWidth + ix) * g.channels + c]!;
              sum += v;
              // `v > max` is false for NaN, so NaN needs its own test to win.
              if (v > max || Number.isNaN(v)) max = v;
            }
          }
          out[((b * g.outHeight + oy) * g.outWidth + ox) * g.channels + c] = g.type === 'avg' ? sum / count : max;
        }
      }
    }
  }
  return out;
}
