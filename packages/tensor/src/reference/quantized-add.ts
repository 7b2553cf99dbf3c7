import type { BinaryGeometry } from '../binary-geometry.js';
import { multiplyByQuantizedMultiplier } from '../fixed-point.js';
import type { AddRequantization } from '../requantization.js';
import { forEachBroadcastPair } from './broadcast-pairs.js';

/**
 * Reference int8 element-wise add, TensorFlow Lite's integer `ADD`: each input, less its zero
 * point, is shifted left by `leftShift` (20) and scaled by its multiplier (≤ 0.5) to a common
 * fixed-point scale; the int32 sum is requantized:
 * `y = clamp(outputZeroPoint + MBQM(MBQM((a − aZp)·2^20, aM, aShift) + MBQM((b − bZp)·2^20, bM, bShift), outM, outShift), activationMin, activationMax)`.
 * Broadcasts by the geometry's strides, like the float `referenceBinary`.
 * @param g an `'add'` {@link BinaryGeometry}. @param r from `addRequantization`.
 */
export function referenceQuantizedAdd(a: Int8Array, b: Int8Array, g: BinaryGeometry, r: AddRequantization): Int8Array {
  const out = new Int8Array(g.size);
  const scale = 1 << r.leftShift;
  forEachBroadcastPair(g, (i, aOffset, bOffset) => {
    const aScaled = multiplyByQuantizedMultiplier((a[aOffset]! - r.aZeroPoint) * scale, r.aMultiplier, r.aShift);
    const bScaled = multiplyByQuantizedMultiplier((b[bOffset]! - r.bZeroPoint) * scale, r.bMultiplier, r.bShift);
    const value = r.outputZeroPoint + multiplyByQuantizedMultiplier((aScaled + bScaled) | 0, r.outputMultiplier, r.outputShift);
    out[i] = value < r.activationMin ? r.activationMin : value > r.activationMax ? r.activationMax : value;
  });
  return out;
}
