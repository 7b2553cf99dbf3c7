import type { BinaryGeometry } from '../binary-geometry.js';
import { multiplyByQuantizedMultiplier } from '../fixed-point.js';
import type { AddRequantization } from '../requantization.js';

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
  const rank = g.shape.length;
  const index = new Array<number>(rank).fill(0);
  let aOffset = 0;
  let bOffset = 0;
  const scale = 1 << r.leftShift;
  for (let i = 0; i < g.size; i++) {
    const aScaled = multiplyByQuantizedMultiplier((a[aOffset]! - r.aZeroPoint) * scale, r.aMultiplier, r.aShift);
    const bScaled = multiplyByQuantizedMultiplier((b[bOffset]! - r.bZeroPoint) * scale, r.bMultiplier, r.bShift);
    const value = r.outputZeroPoint + multiplyByQuantizedMultiplier((aScaled + bScaled) | 0, r.outputMultiplier, r.outputShift);
    out[i] = value < r.activationMin ? r.activationMin : value > r.activationMax ? r.activationMax : value;
    // Odometer over the result's index, moving each operand's offset by its (broadcast) stride.
    for (let axis = rank - 1; axis >= 0; axis--) {
      aOffset += g.aStrides[axis]!;
      bOffset += g.bStrides[axis]!;
      if (++index[axis]! < g.shape[axis]!) break;
      aOffset -= g.aStrides[axis]! * g.shape[axis]!;
      bOffset -= g.bStrides[axis]! * g.shape[axis]!;
      index[axis] = 0;
    }
  }
  return out;
}
