import { describeValue } from './describe-value.js';
import { ValueError } from './errors.js';

/** A real multiplier in fixed point: `multiplier · 2^shift / 2^31` (see {@link quantizeMultiplier}). */
export interface QuantizedMultiplier {
  /** An int32 in `[2^30, 2^31)`, or 0 for a real multiplier of 0 (or one below about 2^-32). */
  readonly multiplier: number;
  /** An integer in `[-31, 30]`: positive shifts left before the product, negative rounds right after. */
  readonly shift: number;
}

/**
 * Splits `m = q · 2^e` with `q ∈ [0.5, 1)`, as C's `frexp`, exactly: scaling a float64 by a
 * power of two within the normal range loses nothing.
 */
function frexp(m: number): [number, number] {
  let exponent = Math.floor(Math.log2(m)) + 1;
  let fraction = m * 2 ** -exponent;
  // log2 may be off by one next to a power of two.
  while (fraction >= 1) {
    fraction /= 2;
    exponent++;
  }
  while (fraction < 0.5) {
    fraction *= 2;
    exponent--;
  }
  return [fraction, exponent];
}

/**
 * Represents a non-negative real multiplier (a requantization scale such as
 * `inputScale · weightScale / outputScale`) as TensorFlow Lite's `QuantizeMultiplier` does:
 * `m = q · 2^shift` with `q ∈ [0.5, 1)`, `multiplier = round(q · 2^31)` (ties away from zero);
 * when that rounds up to 2^31 it is halved and `shift` grows by one; a shift below −31 (a
 * multiplier below about 2^-32) gives `{ multiplier: 0, shift: 0 }`, as does 0.
 * `multiplyByQuantizedMultiplier(x, multiplier, shift)` then approximates `x · m`.
 * Compute `m` in float64 from float32 scales (as TensorFlow Lite does) so that a model saved
 * with float32 scales gives the same integers when loaded.
 * @throws ValueError naming `quantizeMultiplier` and `realMultiplier` for a negative, non-finite
 * or non-number multiplier, or one of 2^30 or more (its left shift would pass 30 bits).
 */
export function quantizeMultiplier(realMultiplier: number): QuantizedMultiplier {
  if (typeof realMultiplier !== 'number' || !Number.isFinite(realMultiplier) || realMultiplier < 0) {
    throw new ValueError('quantizeMultiplier', 'realMultiplier', `realMultiplier must be a finite number >= 0, got ${describeValue(realMultiplier)}`);
  }
  // Far below 2^-32 the result is 0 anyway; returning early keeps frexp in the normal range.
  if (realMultiplier < 2 ** -40) return { multiplier: 0, shift: 0 };
  const [fraction, exponent] = frexp(realMultiplier);
  let multiplier = Math.round(fraction * 2 ** 31);
  let shift = exponent;
  if (multiplier === 2 ** 31) {
    multiplier /= 2;
    shift++;
  }
  if (shift < -31) return { multiplier: 0, shift: 0 };
  if (shift > 30) {
    throw new ValueError(
      'quantizeMultiplier',
      'realMultiplier',
      `realMultiplier must be below 2^30 (a shift of at most 30 bits), got ${describeValue(realMultiplier)}`,
    );
  }
  return { multiplier, shift };
}
