// The fixed-point arithmetic of requantization, against a BigInt transcription of gemmlowp's
// and TensorFlow Lite's definitions (64-bit products, C++ truncating division).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  multiplyByQuantizedMultiplier,
  quantizeMultiplier,
  roundingDivideByPot,
  saturatingRoundingDoublingHighMul,
  ValueError,
} from '../src/index.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function srdhmBig(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const product = BigInt(a) * BigInt(b);
  const nudge = product >= 0n ? 1n << 30n : 1n - (1n << 30n);
  // BigInt division truncates toward zero, as C++ integer division.
  return Number((product + nudge) / (1n << 31n));
}

/** x / 2^exponent, ties away from zero, from the definition rather than gemmlowp's mask trick. */
function rdbpotBig(x: number, exponent: number): number {
  const divisor = 1n << BigInt(exponent);
  const value = BigInt(x);
  const quotient = value / divisor;
  const remainder = value % divisor;
  const absRemainder = remainder < 0n ? -remainder : remainder;
  if (2n * absRemainder >= divisor && exponent > 0) return Number(quotient + (value < 0n ? -1n : 1n));
  return Number(quotient);
}

function mbqmBig(x: number, multiplier: number, shift: number): number {
  const leftShift = shift > 0 ? shift : 0;
  const shifted = Number(BigInt.asIntN(32, BigInt(x) << BigInt(leftShift)));
  return rdbpotBig(srdhmBig(shifted, multiplier), shift > 0 ? 0 : -shift);
}

// Edge values mixed into the random int32s: the saturating corner, ±1, powers of two and their neighbours.
const edgeInt32 = fc.constantFrom(INT32_MIN, INT32_MIN + 1, -(2 ** 30), -1, 0, 1, 2 ** 30 - 1, 2 ** 30, INT32_MAX - 1, INT32_MAX);
const int32 = fc.oneof(fc.integer({ min: INT32_MIN, max: INT32_MAX }), edgeInt32);
const multiplier = fc.oneof(fc.integer({ min: 2 ** 30, max: INT32_MAX }), fc.constantFrom(0, 2 ** 30, INT32_MAX));

describe('saturatingRoundingDoublingHighMul', () => {
  it('saturates the one overflowing product, INT32_MIN · INT32_MIN, to INT32_MAX', () => {
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN)).toBe(INT32_MAX);
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN + 1)).toBe(INT32_MAX);
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MAX)).toBe(-INT32_MAX);
  });

  it('rounds to nearest with ties toward +∞ (the negative nudge is 1 − 2^30)', () => {
    expect(saturatingRoundingDoublingHighMul(1, 2 ** 30)).toBe(1); // 0.5
    expect(saturatingRoundingDoublingHighMul(-1, 2 ** 30)).toBe(0); // -0.5
    expect(saturatingRoundingDoublingHighMul(1, 2 ** 30 - 1)).toBe(0); // just below 0.5
    expect(saturatingRoundingDoublingHighMul(-1, 2 ** 30 + 1)).toBe(-1); // just past -0.5
    expect(saturatingRoundingDoublingHighMul(3, 2 ** 30)).toBe(2); // 1.5
    expect(saturatingRoundingDoublingHighMul(-3, 2 ** 30)).toBe(-1); // -1.5
    expect(saturatingRoundingDoublingHighMul(-5, 2 ** 30 - 1)).toBe(-2); // -2.4999…
    expect(saturatingRoundingDoublingHighMul(2 ** 30, 2 ** 30)).toBe(2 ** 29);
    expect(saturatingRoundingDoublingHighMul(12345, 0)).toBe(0);
  });

  it('equals the 64-bit definition on random int32 pairs', () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => saturatingRoundingDoublingHighMul(a, b) === srdhmBig(a, b)),
      { numRuns: 20_000 },
    );
  });
});

describe('roundingDivideByPot', () => {
  it('rounds ties away from zero', () => {
    expect([5, -5, 3, -3, 4, -4, 6, -6].map((x) => roundingDivideByPot(x, 1))).toEqual([3, -3, 2, -2, 2, -2, 3, -3]);
    expect([6, -6, 7, -7].map((x) => roundingDivideByPot(x, 2))).toEqual([2, -2, 2, -2]);
    expect(roundingDivideByPot(-(2 ** 30), 31)).toBe(-1); // -0.5
    expect(roundingDivideByPot(2 ** 30, 31)).toBe(1); // 0.5
    expect(roundingDivideByPot(2 ** 30 - 1, 31)).toBe(0);
  });

  it('leaves x alone at exponent 0 and handles the extremes at 31', () => {
    expect(roundingDivideByPot(INT32_MIN, 0)).toBe(INT32_MIN);
    expect(roundingDivideByPot(INT32_MAX, 0)).toBe(INT32_MAX);
    expect(roundingDivideByPot(INT32_MIN, 31)).toBe(-1);
    expect(roundingDivideByPot(INT32_MAX, 31)).toBe(1);
  });

  it('equals round(x / 2^exponent), ties away from zero, on random inputs', () => {
    fc.assert(
      fc.property(int32, fc.integer({ min: 0, max: 31 }), (x, exponent) => roundingDivideByPot(x, exponent) === rdbpotBig(x, exponent)),
      { numRuns: 20_000 },
    );
  });
});

describe('multiplyByQuantizedMultiplier', () => {
  it('equals the BigInt definition for every shift from -31 to 30, left shifts wrapping in int32', () => {
    fc.assert(
      fc.property(
        int32,
        multiplier,
        fc.integer({ min: -31, max: 30 }),
        (x, m, shift) => multiplyByQuantizedMultiplier(x, m, shift) === mbqmBig(x, m, shift),
      ),
      { numRuns: 50_000 },
    );
  });

  it('equals the BigInt definition for accumulator-sized x and requantization-sized multipliers', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), fc.double({ min: 2 ** -20, max: 4, noNaN: true }), (x, real) => {
        const { multiplier: m, shift } = quantizeMultiplier(real);
        const result = multiplyByQuantizedMultiplier(x, m, shift);
        // Bit-exact with the definition, and within one unit (two roundings) of the real product.
        return result === mbqmBig(x, m, shift) && Math.abs(result - x * real) <= 1 + Math.abs(x * real) * 2 ** -30;
      }),
      { numRuns: 20_000 },
    );
  });

  it('is the identity for a multiplier of exactly 1; its left shift wraps in int32 as wasm and WGSL do', () => {
    const one = quantizeMultiplier(1);
    for (const x of [-(2 ** 30), -7, -1, 0, 1, 7, 2 ** 30 - 1]) expect(multiplyByQuantizedMultiplier(x, one.multiplier, one.shift)).toBe(x);
    // 1 is 2^30 · 2^1 / 2^31: INT32_MIN · 2 wraps to 0 before the product.
    expect(multiplyByQuantizedMultiplier(INT32_MIN, one.multiplier, one.shift)).toBe(0);
  });

  it('halves with ties toward +∞ at 0.5 (no right shift: the high multiply does the rounding)', () => {
    const half = quantizeMultiplier(0.5);
    expect([-3, -1, 1, 3, 4].map((x) => multiplyByQuantizedMultiplier(x, half.multiplier, half.shift))).toEqual([-1, 0, 1, 2, 2]);
  });

  it('quarters with ties away from zero at 0.25 (the right shift rounds the tie)', () => {
    const quarter = quantizeMultiplier(0.25);
    expect([-6, -2, 2, 6].map((x) => multiplyByQuantizedMultiplier(x, quarter.multiplier, quarter.shift))).toEqual([-2, -1, 1, 2]);
  });
});

describe('quantizeMultiplier', () => {
  it('splits powers of two and simple fractions exactly', () => {
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 });
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(0.25)).toEqual({ multiplier: 2 ** 30, shift: -1 });
    expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 0.75 * 2 ** 31, shift: 0 });
    expect(quantizeMultiplier(3)).toEqual({ multiplier: 0.75 * 2 ** 31, shift: 2 });
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
  });

  it('carries a fraction that rounds up to 2^31 into the shift (multipliers just below 1)', () => {
    expect(quantizeMultiplier(1 - 2 ** -33)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(1 - 2 ** -31)).toEqual({ multiplier: INT32_MAX, shift: 0 });
    // Ties away from zero: q · 2^31 = 2^31 − 0.5 rounds up too.
    expect(quantizeMultiplier(1 - 2 ** -32)).toEqual({ multiplier: 2 ** 30, shift: 1 });
  });

  it('flushes multipliers below 2^-32 to zero (a shift under -31), keeps 2^-32', () => {
    expect(quantizeMultiplier(2 ** -32)).toEqual({ multiplier: 2 ** 30, shift: -31 });
    expect(quantizeMultiplier(2 ** -33)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(1e-300)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(Number.MIN_VALUE)).toEqual({ multiplier: 0, shift: 0 });
  });

  it('represents any multiplier to 31 bits: multiplier ∈ [2^30, 2^31), |multiplier · 2^(shift−31) − m| ≤ m · 2^-31', () => {
    fc.assert(
      fc.property(fc.double({ min: 2 ** -31, max: 2 ** 29, noNaN: true }), (m) => {
        const { multiplier: q, shift } = quantizeMultiplier(m);
        return Number.isInteger(q) && q >= 2 ** 30 && q <= INT32_MAX && Math.abs(q * 2 ** (shift - 31) - m) <= m * 2 ** -31;
      }),
      { numRuns: 5_000 },
    );
  });

  it('refuses negative, non-finite and too large multipliers with a ValueError naming realMultiplier', () => {
    for (const bad of [-1, -Number.MIN_VALUE, Number.NaN, Infinity, 2 ** 30, 2 ** 30 * (1 - 2 ** -40), '0.5' as unknown as number]) {
      expect(() => quantizeMultiplier(bad)).toThrow(ValueError);
    }
    expect(() => quantizeMultiplier(-1)).toThrow(/quantizeMultiplier: realMultiplier must be a finite number >= 0, got -1/);
    expect(quantizeMultiplier(2 ** 30 * (1 - 2 ** -30))).toEqual({ multiplier: INT32_MAX - 1, shift: 30 });
  });
});
