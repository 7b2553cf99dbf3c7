/**
 * The suite's tolerance rule. Each output may differ from the float64 reference by at most
 * `tolerance × Σ|x·w| + 1e-6`, where Σ|x·w| (plus |bias|) is that output's magnitude sum —
 * the scale float32 rounding error grows with, whatever the summation order. The default,
 * 2⁻¹⁶ ≈ 1.5e-5, allows ~250 ulps of the magnitude: room for any order of float32 adds over
 * these case sizes, far too little for a wrong tap, channel or bias. NaN must match NaN;
 * infinities must match exactly.
 */
export const DEFAULT_TOLERANCE = 2 ** -16;

/** Returns a description of the first mismatches, or `undefined` when every element is close. */
export function findMismatches(actual: Float32Array, expected: Float32Array, magnitude: Float32Array, tolerance: number): string | undefined {
  if (actual.length !== expected.length) {
    return `length ${actual.length}, expected ${expected.length}`;
  }
  const problems: string[] = [];
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    let ok: boolean;
    if (Number.isNaN(e)) ok = Number.isNaN(a);
    else if (!Number.isFinite(e)) ok = a === e;
    else ok = Math.abs(a - e) <= tolerance * Math.abs(magnitude[i]!) + 1e-6;
    if (!ok) {
      count++;
      if (problems.length < 5)
        problems.push(`[${i}] got ${a}, expected ${e} (allowed ±${(tolerance * Math.abs(magnitude[i]!) + 1e-6).toExponential(2)})`);
    }
  }
  return count === 0 ? undefined : `${count} of ${expected.length} elements differ: ${problems.join('; ')}`;
}
