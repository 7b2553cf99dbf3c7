import { multiplyByQuantizedMultiplier } from '../fixed-point.js';
import { INT8_MAX, INT8_MIN } from '../quant-params.js';
import type { RequantizeRequantization } from '../requantization.js';

/**
 * Reference int8 requantization, TensorFlow Lite's int8 → int8 `Requantize`:
 * `y = clamp(outputZeroPoint + MBQM(x − inputZeroPoint, multiplier, shift), -128, 127)`.
 * @param r from `requantizeRequantization`.
 */
export function referenceRequantize(x: Int8Array, r: RequantizeRequantization): Int8Array {
  const out = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const value = r.outputZeroPoint + multiplyByQuantizedMultiplier(x[i]! - r.inputZeroPoint, r.multiplier, r.shift);
    out[i] = value < INT8_MIN ? INT8_MIN : value > INT8_MAX ? INT8_MAX : value;
  }
  return out;
}
