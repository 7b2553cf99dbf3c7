/**
 * Fixed-point arithmetic of integer requantization, bit for bit as TensorFlow Lite's reference
 * kernels (gemmlowp's `SaturatingRoundingDoublingHighMul` and `RoundingDivideByPOT`, composed
 * by `MultiplyByQuantizedMultiplier` in its double-rounding form — gemmlowp's, and TensorFlow
 * Lite's reference unless built with `TFLITE_SINGLE_ROUNDING`, which rounds once). Every backend's
 * int8 kernel must reproduce these results exactly; `test/fixed-point.test.ts` checks them
 * against a BigInt transcription of the definitions.
 *
 * No BigInt here: the 64-bit product `a · b` is split so that every intermediate is an
 * integer below 2^53, exact in float64.
 */

import { INT32_MAX, INT32_MIN } from './quant-params.js';

const TWO_15 = 2 ** 15;
const TWO_16 = 2 ** 16;
const TWO_31 = 2 ** 31;

/**
 * `a · b / 2^31` for int32 `a`, `b`, rounded to nearest with ties toward +∞ (`-0.5` gives 0,
 * `0.5` gives 1: the negative nudge is `1 − 2^30`, not `−2^30`), saturated: the one product that
 * overflows, `INT32_MIN · INT32_MIN`, gives `INT32_MAX`. Exactly gemmlowp's
 * `SaturatingRoundingDoublingHighMul`: `(a·b + nudge) / 2^31` truncated toward zero, with
 * `nudge = 2^30` for a non-negative product and `1 − 2^30` for a negative one.
 * @param a an int32 (other numbers give unspecified results).
 * @param b an int32.
 */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  // b = bHigh·2^16 + bLow with bLow ∈ [0, 2^16): both partial products stay below 2^47.
  const bLow = b & 0xffff;
  const bHigh = (b - bLow) / TWO_16;
  const high = a * bHigh;
  const nonNegative = a === 0 || b === 0 || a < 0 === b < 0;
  const low = a * bLow + (nonNegative ? 2 ** 30 : 1 - 2 ** 30);
  // a·b + nudge = high·2^16 + low = quotient·2^31 + remainder, 0 ≤ remainder < 2^31 (floor division).
  const highQuotient = Math.floor(high / TWO_15);
  const lowQuotient = Math.floor(low / TWO_31);
  const remainderSum = (high - highQuotient * TWO_15) * TWO_16 + (low - lowQuotient * TWO_31);
  const carry = Math.floor(remainderSum / TWO_31);
  const quotient = highQuotient + lowQuotient + carry;
  const remainder = remainderSum - carry * TWO_31;
  // C++ integer division truncates toward zero, floor division rounds down: they differ for a
  // negative quotient with a remainder.
  return quotient < 0 && remainder !== 0 ? quotient + 1 : quotient;
}

/**
 * `x / 2^exponent` rounded to nearest, ties away from zero: gemmlowp's `RoundingDivideByPOT`.
 * @param x an int32.
 * @param exponent an integer in `[0, 31]`.
 */
export function roundingDivideByPot(x: number, exponent: number): number {
  const mask = exponent >= 31 ? INT32_MAX : (1 << exponent) - 1;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/**
 * `x · multiplier · 2^shift / 2^31`, rounded as TensorFlow Lite's `MultiplyByQuantizedMultiplier`:
 * a positive `shift` multiplies `x` by `2^shift` first (in int32, wrapping as the C++ does on
 * every target, and as wasm `i32.mul` and WGSL `i32` multiplication do), then
 * {@link saturatingRoundingDoublingHighMul}, then {@link roundingDivideByPot} by `−shift` when
 * `shift` is negative (two roundings: ties toward +∞, then ties away from zero). `multiplier` and `shift` come from {@link quantizeMultiplier}.
 * @param x an int32 (an accumulator).
 * @param multiplier an int32 in `[2^30, 2^31)`, or 0.
 * @param shift an integer in `[-31, 30]`.
 * @returns an int32.
 */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const leftShift = shift > 0 ? shift : 0;
  const rightShift = shift > 0 ? 0 : -shift;
  return roundingDivideByPot(saturatingRoundingDoublingHighMul(Math.imul(x, 1 << leftShift), multiplier), rightShift);
}
