import type { BinaryGeometry } from '../binary-geometry.js';
import { multiplyByQuantizedMultiplier } from '../fixed-point.js';
import type { MulRequantization } from '../requantization.js';
import { forEachBroadcastPair } from './broadcast-pairs.js';

/**
 * Reference int8 element-wise multiply, TensorFlow Lite's integer `MUL`:
 * `y = clamp(outputZeroPoint + MBQM((a − aZp)·(b − bZp), M, shift), activationMin, activationMax)`
 * (the product is at most 255² in magnitude: exact in int32). Broadcasts by the geometry's strides.
 * @param g a `'mul'` {@link BinaryGeometry}. @param r from `mulRequantization`.
 */
export function referenceQuantizedMul(a: Int8Array, b: Int8Array, g: BinaryGeometry, r: MulRequantization): Int8Array {
  const out = new Int8Array(g.size);
  forEachBroadcastPair(g, (i, aOffset, bOffset) => {
    const product = (a[aOffset]! - r.aZeroPoint) * (b[bOffset]! - r.bZeroPoint);
    const value = r.outputZeroPoint + multiplyByQuantizedMultiplier(product, r.multiplier, r.shift);
    out[i] = value < r.activationMin ? r.activationMin : value > r.activationMax ? r.activationMax : value;
  });
  return out;
}
