import type { Pool2dGeometry } from '../pool2d-geometry.js';
import type { ActivationRange } from '../requantization.js';

/**
 * `round(sum / count)` with ties away from zero, in integers as C computes it (`/` truncates):
 * TensorFlow Lite's rounding of an int8 average.
 */
export function roundedAverage(sum: number, count: number): number {
  const half = Math.trunc(count / 2);
  return Math.trunc((sum > 0 ? sum + half : sum - half) / count);
}

/**
 * Reference int8 windowed average pooling, TensorFlow Lite's integer `AveragePool`: over the
 * window clipped to the input (padding excluded from the count, as the float kernel),
 * `y = clamp(roundedAverage(Σ x, count), activationMin, activationMax)`. Input and output share
 * one scale and zero point (see `pool2dRequantization`), so no multiplier is involved.
 * @param g a pooling geometry with `type: 'avg'`. @param r from `pool2dRequantization`.
 * Legend: b batch, oy/ox output position, iy/ix input position, c channel.
 */
export function referenceQuantizedAvgPool2d(x: Int8Array, g: Pool2dGeometry, r: ActivationRange): Int8Array {
  const out = new Int8Array(g.size);
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
          for (let iy = yStart; iy < yEnd; iy++) {
            for (let ix = xStart; ix < xEnd; ix++) sum += x[((b * g.inHeight + iy) * g.inWidth + ix) * g.channels + c]!;
          }
          const value = roundedAverage(sum, count);
          out[((b * g.outHeight + oy) * g.outWidth + ox) * g.channels + c] =
            value < r.activationMin ? r.activationMin : value > r.activationMax ? r.activationMax : value;
        }
      }
    }
  }
  return out;
}
