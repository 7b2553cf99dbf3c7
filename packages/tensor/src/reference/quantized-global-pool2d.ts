import { multiplyByQuantizedMultiplier } from '../fixed-point.js';
import type { GlobalPool2dGeometry } from '../global-pool2d-geometry.js';
import type { GlobalPool2dRequantization } from '../requantization.js';
import { roundedAverage } from './quantized-pool2d.js';

/**
 * Reference int8 global average pooling, TensorFlow Lite's integer `MEAN` over height and width:
 * `acc = Σ_p (x[b, p, c] − inputZeroPoint)` in int32, then
 * `y[b, 0, 0, c] = clamp(outputZeroPoint + roundedAverage(MBQM(acc, multiplier, shift), H·W), activationMin, activationMax)`.
 * Output `[batch, 1, 1, channels]`, flat `[batch, channels]`.
 * @param g a global pooling geometry with `type: 'avg'`. @param r from `globalPool2dRequantization`.
 * Legend: b batch, p pixel (iy · inWidth + ix), c channel.
 */
export function referenceQuantizedGlobalAvgPool2d(x: Int8Array, g: GlobalPool2dGeometry, r: GlobalPool2dRequantization): Int8Array {
  const pixels = g.inHeight * g.inWidth;
  const out = new Int8Array(g.size);
  for (let b = 0; b < g.batch; b++) {
    for (let c = 0; c < g.channels; c++) {
      let acc = 0;
      for (let p = 0; p < pixels; p++) acc = (acc + x[(b * pixels + p) * g.channels + c]! - r.inputZeroPoint) | 0;
      const value = r.outputZeroPoint + roundedAverage(multiplyByQuantizedMultiplier(acc, r.multiplier, r.shift), pixels);
      out[b * g.channels + c] = value < r.activationMin ? r.activationMin : value > r.activationMax ? r.activationMax : value;
    }
  }
  return out;
}
