/** The smallest sample: the run least disturbed by the rest of a shared, noisy machine. */
export function best(samples: readonly number[]): number {
  return Math.min(...samples);
}

/** The middle sample (mean of the two middle ones for an even count). */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Arithmetic mean. */
export function mean(samples: readonly number[]): number {
  return samples.reduce((sum, s) => sum + s, 0) / samples.length;
}

/**
 * Largest absolute difference between two outputs, and whether it is within float32
 * accumulation error: 1e-3 of the larger of 1 and the reference's largest magnitude (sums of
 * thousands of float32 products in a different order differ by about 1e-5 of that).
 * `relativeTolerance` replaces both: that fraction of the reference's largest magnitude alone
 * (for outputs that differ by their own rounding, as two engines' int8 arithmetic do).
 */
export function compareOutputs(
  actual: Float32Array,
  expected: Float32Array,
  relativeTolerance?: number,
): { maxAbsError: number; tolerance: number; ok: boolean } {
  if (actual.length !== expected.length) return { maxAbsError: Number.POSITIVE_INFINITY, tolerance: 0, ok: false };
  let maxAbsError = 0;
  let scale = relativeTolerance === undefined ? 1 : 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const diff = Math.abs(actual[i]! - e);
    // A NaN difference must fail the check, which `diff > maxAbsError` alone would not do.
    if (!(diff <= maxAbsError)) maxAbsError = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff;
    if (Math.abs(e) > scale) scale = Math.abs(e);
  }
  const tolerance = (relativeTolerance ?? 1e-3) * scale;
  return { maxAbsError, tolerance, ok: maxAbsError <= tolerance };
}
