// a·b + c. With relaxed SIMD (ASC_FEATURE_RELAXED_SIMD is a compile-time constant) it is one
// fused multiply-add where the CPU has one; otherwise a multiply then an add.
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// The fused epilogue: linear is [-inf, inf], ReLU [0, inf], ReLU6 [0, 6]. Pseudo-min/max
// compile to one minps/maxps each, where f32x4.min/max need a NaN-fixing sequence of about
// seven instructions. With `v` first they still propagate NaN: pmax(v, low) is
// `v < low ? low : v` and pmin(v, high) is `high < v ? high : v`, both `v` when v is NaN.
@inline export function clamp(v: v128, low: v128, high: v128): v128 {
  return f32x4.pmin(f32x4.pmax(v, low), high);
}

// Stores the first `count` (0..4) lanes of `v`; for channel tails that are not a multiple of 4.
@inline export function storeLanes(p: usize, v: v128, count: i32): void {
  if (count >= 4) {
    v128.store(p, v);
    return;
  }
  if (count > 0) store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}
