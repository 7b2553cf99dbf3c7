// Requantization of int8 convolutions, bit for bit as TensorFlow Lite's reference
// (`MultiplyByQuantizedMultiplier` in its double-rounding form, then the output zero point and
// the activation clamp), four output channels at a time, each with its own multiplier and shift.
//
// WebAssembly SIMD has no per-lane shift, so both roundings run in 64-bit lanes, where the
// per-channel right shift becomes an exact multiplication:
//   x' = x · 2^leftShift                       (int32, wrapping, as the reference's Math.imul)
//   q  = floor((x' · M + 2^30) / 2^31)         (SaturatingRoundingDoublingHighMul: for M other than
//                                               INT32_MIN its nudged truncation equals this floor)
//   y  = floor((q + h) / 2^e),  h = 2^(e−1) − (q < 0 ? 1 : 0), e = rightShift (h = 0 when e = 0)
//                                              (RoundingDivideByPOT: ties away from zero)
// and floor(r / 2^e) = floor(r · 2^(31−e) / 2^31), |r| < 2^32, so every product fits in 64 bits.
// The clamp runs before the zero point is added (clamp(z + y, lo, hi) = z + clamp(y, lo − z, hi − z)),
// so a y near the int32 limits cannot wrap past the clamp.
//
// The per-channel constants are packed with the weights (src/pack/pack-int8-requantization.ts),
// for a group of `group` channels: leftMul i32[group], multiplier i32[group], half i64[group],
// halfNegative i64[group], rightMul i64[group] (32 bytes per channel).

const NUDGE: i64 = 1 << 30;

@inline function roundPair(product: v128, half: v128, halfNegative: v128, rightMul: v128): v128 {
  const q = i64x2.shr_s(i64x2.add(product, i64x2.splat(NUDGE)), 31);
  const r = i64x2.add(q, v128.bitselect(halfNegative, half, i64x2.lt_s(q, i64x2.splat(0))));
  return i64x2.shr_s(i64x2.mul(r, rightMul), 31);
}

// The requantized value (before the zero point) of four int32 accumulators whose channels are
// `channel`..`channel + 3` of a group of `group` packed at `params`, clamped to [low, high]
// (the activation range minus the output zero point), plus `zeroPoint`: int32 lanes in [-128, 127].
@inline export function requantize4(acc: v128, params: usize, group: usize, channel: usize, zeroPoint: v128, low: v128, high: v128): v128 {
  const x = i32x4.mul(acc, v128.load(params + (channel << 2)));
  const multiplier = v128.load(params + (group << 2) + (channel << 2));
  const wide = params + (group << 3) + (channel << 3);
  const lo = roundPair(
    i64x2.extmul_low_i32x4_s(x, multiplier),
    v128.load(wide),
    v128.load(wide + (group << 3)),
    v128.load(wide + (group << 4)),
  );
  const hi = roundPair(
    i64x2.extmul_high_i32x4_s(x, multiplier),
    v128.load(wide, 16),
    v128.load(wide + (group << 3), 16),
    v128.load(wide + (group << 4), 16),
  );
  const y = i8x16.shuffle(lo, hi, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
  return i32x4.add(i32x4.min_s(i32x4.max_s(y, low), high), zeroPoint);
}

// One channel of the same arithmetic, for the scalar paths (channel multiplier above 1).
@inline export function requantize1(acc: i32, params: usize, group: usize, channel: usize, zeroPoint: i32, low: i32, high: i32): i32 {
  const x = acc * load<i32>(params + (channel << 2));
  const multiplier = load<i32>(params + (group << 2) + (channel << 2));
  const wide = params + (group << 3) + (channel << 3);
  const q = (<i64>x * <i64>multiplier + NUDGE) >> 31;
  const r = q + (q < 0 ? load<i64>(wide + (group << 3)) : load<i64>(wide));
  const y = <i32>((r * load<i64>(wide + (group << 4))) >> 31);
  return (y < low ? low : y > high ? high : y) + zeroPoint;
}

// Stores the low byte of each int32 lane of a and b (eight int8 outputs, all in range) at p,
// the first `count` (0..8) of them.
@inline export function storeInt8x8(p: usize, a: v128, b: v128, count: i32): void {
  const bytes = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(a, b), i16x8.splat(0));
  if (count >= 8) {
    v128.store64_lane(p, bytes, 0);
    return;
  }
  storeInt8Tail(p, bytes, count);
}

// Stores sixteen int8 outputs (four int32x4 in range) at p, the first `count` (0..16) of them.
@inline export function storeInt8x16(p: usize, a: v128, b: v128, c: v128, d: v128, count: i32): void {
  const bytes = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(a, b), i16x8.narrow_i32x4_s(c, d));
  if (count >= 16) {
    v128.store(p, bytes);
    return;
  }
  storeInt8Tail(p, bytes, count);
}

function storeInt8Tail(p: usize, bytes: v128, count: i32): void {
  let v = bytes;
  let q = p;
  let n = count;
  if (n >= 8) {
    v128.store64_lane(q, v, 0);
    v = i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0);
    q += 8;
    n -= 8;
  }
  if (n >= 4) {
    v128.store32_lane(q, v, 0);
    v = i8x16.shuffle(v, v, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    q += 4;
    n -= 4;
  }
  if (n >= 2) {
    v128.store16_lane(q, v, 0);
    v = i8x16.shuffle(v, v, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    q += 2;
    n -= 2;
  }
  if (n >= 1) v128.store8_lane(q, v, 0);
}
