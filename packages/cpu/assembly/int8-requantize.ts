// Requantization of int8 convolutions, bit for bit as TensorFlow Lite's reference
// (`MultiplyByQuantizedMultiplier` in its double-rounding form, then the output zero point and
// the activation clamp), four output channels at a time, each with its own multiplier and shift.
//
// WebAssembly SIMD has no per-lane shift, so the per-channel right shift becomes a per-lane
// multiplication, and every step uses only operations x64 has natively (32×32→64 multiplies,
// 64-bit adds and logical shifts; no 64-bit multiply or arithmetic shift, which V8 emulates):
//   x' = x · 2^leftShift                       (int32, wrapping, as the reference's Math.imul)
//   q  = floor((x'·M + 2^30) / 2^31)           (SaturatingRoundingDoublingHighMul: for M other than
//                                               INT32_MIN its nudged truncation equals this floor;
//                                               the low 32 bits of a logical shift, as q fits int32)
//   y  = floor((q + 2^(e−1) − [q < 0]) / 2^e)  (RoundingDivideByPOT by e = rightShift, ties away
//                                               from zero; y = q when e = 0)
// The second line is computed as
//   q' = q − [q < 0 and e > 0]                 (no overflow: q > INT32_MIN when |M| < 2^31)
//   y  = floor(((q' + 2^31) · 2^(31−e) + C) / 2^31),  C = (2^(e−1) − 2^31) · 2^(31−e)  (C = −2^62 when e = 0)
// where (q' + 2^31) is q' with its sign bit flipped, an unsigned 32-bit value, so one unsigned
// 32×32→64 multiply by 2^(31−e) ≤ 2^31 stays exact for every e in [0, 31].
// The clamp runs before the zero point is added (clamp(z + y, lo, hi) = z + clamp(y, lo − z, hi − z)),
// so a y near the int32 limits cannot wrap past the clamp.
//
// The per-channel constants are packed with the weights (src/pack/pack-int8-requantization.ts),
// for a group of `group` channels: leftMul i32[group], multiplier i32[group], negativeStep
// i32[group] (−1 when e > 0, else 0), rightMul u32[group] (2^(31−e)), offset i64[group] (C):
// 24 bytes per channel.
//
// A float64 form, about two thirds of the instructions (no 64-bit integer multiplies, whose
// operands x64 must first unpack), for groups whose accumulators are small enough — typical of
// depthwise layers and short pointwise ones, where requantization is half the time. The two
// roundings above compose into one, floor(floor(A / 2^31) + h) / 2^e) = floor((A + h·2^31) / 2^(31+e)):
//   y = floor((x'·M + 2^30 + [e > 0]·(2^(30+e) − [q < 0]·2^31)) / 2^(31+e))
// and [q < 0] may be read as [x < 0]: they differ only when x'·M lies in [−2^30, 0), i.e.
// M = 0 or (x' = −1, M = 2^30), where the numerator lies in [0, 2^(31+e)) either way (y = 0 = q).
// The packer folds 2^leftShift into the multiplier (no int32 wrap at these bounds) and the output
// zero point z into the offset (floor(v) + z = floor(v + z)), and stores, per channel,
// offset = (2^30 + [e > 0]·2^(30+e)) / 2^(31+e) + z, scale = M·2^(leftShift−31−e) and
// negativeOffset = −[e > 0]·2^−e, only when
// max|x|·2^leftShift·M + 2^30 + 2^(30+e) + 2^31 + |z|·2^(31+e) ≤ 2^53: every partial sum is then
// an integer below 2^53 over 2^(31+e), exact in float64 (so a fused multiply-add and a
// multiply-then-add agree), floor is exact, and adding 1.5·2^52 leaves z + y (|z + y| < 2^22) in
// the low word. That result is not clamped: the narrowing store saturates it to int8 and then
// clamps it to the activation range (storeClampedInt8x8/x16: one i8x16 min and max for 8 or 16
// outputs instead of an i32x4 min, max and add for 4), which equals TensorFlow Lite's
// clamp(z + y, activationMin, activationMax) as that range lies inside [−128, 127].
// Layout: offset f64[group], scale f64[group], negativeOffset f64[group] (24 bytes per channel).
// The packer keeps this form only where the low word of offset[0] is 0 (as for e ≤ 12 with any z,
// whose bits then span at most 21 of the 53), where the integer form's leftMul[0] is ≥ 1: that
// word tells the two forms apart.

const NUDGE: i64 = 1 << 30;
const SIGN: i32 = 0x80000000;

// floor(p / 2^31) of two int64 lanes whose quotients fit int32, as the low words of a logical
// shift: lanes 0, 1 of `lo` then of `hi` → four int32 lanes.
@inline function high31(lo: v128, hi: v128): v128 {
  return i8x16.shuffle(i64x2.shr_u(lo, 31), i64x2.shr_u(hi, 31), 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
}

// 1.5·2^52: added to an integral float64 below 2^51 in magnitude, it leaves that integer in the low word.
const LOW_WORD_MAGIC: f64 = 6755399441055744.0;

// Whether the group packed at `params` holds the float64 form.
@inline export function isFloat64Requantization(params: usize): bool {
  return load<i32>(params) == 0;
}

@inline function madd64(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}

// floor(x·scale + offset + [x < 0]·negativeOffset) + 1.5·2^52 for two float64 lanes (see above).
@inline function floorToLowWord(x: v128, offset: v128, scale: v128, negativeOffset: v128): v128 {
  const v = f64x2.add(madd64(x, scale, offset), v128.and(f64x2.lt(x, f64x2.splat(0)), negativeOffset));
  return f64x2.add(f64x2.floor(v), f64x2.splat(LOW_WORD_MAGIC));
}

// requantize4 for a group in the float64 form: z + y, not clamped (see above).
@inline function requantize4Float64(acc: v128, params: usize, group: usize, channel: usize): v128 {
  const offset = params + (channel << 3);
  const scale = offset + (group << 3);
  const negativeOffset = scale + (group << 3);
  const lo = floorToLowWord(f64x2.convert_low_i32x4_s(acc), v128.load(offset), v128.load(scale), v128.load(negativeOffset));
  const hi = floorToLowWord(
    f64x2.convert_low_i32x4_s(v128.shuffle<i32>(acc, acc, 2, 3, 2, 3)),
    v128.load(offset, 16),
    v128.load(scale, 16),
    v128.load(negativeOffset, 16),
  );
  return v128.shuffle<i32>(lo, hi, 0, 2, 4, 6);
}

// The requantized value of four int32 accumulators whose channels are `channel`..`channel + 3`
// of a group of `group` packed at `params`, plus the output zero point, as int32 lanes whose
// int8 saturation clamped to the activation range is the output: store them with
// storeClampedInt8x8/x16. The integer form clamps to [low, high] (the activation range minus
// the output zero point: its y may lie near the int32 limits, where z + y would wrap) and adds
// `zeroPoint` itself, so its lanes are already in range — what int8-add.ts and int8-mul.ts,
// which pack only that form, rely on; the float64 form has z folded in and leaves the clamp to the store.
@inline export function requantize4(acc: v128, params: usize, group: usize, channel: usize, zeroPoint: v128, low: v128, high: v128): v128 {
  if (isFloat64Requantization(params)) return requantize4Float64(acc, params, group, channel);
  const lane = params + (channel << 2);
  const x = i32x4.mul(acc, v128.load(lane));
  const multiplier = v128.load(lane + (group << 2));
  const nudge = i64x2.splat(NUDGE);
  const q = high31(i64x2.add(i64x2.extmul_low_i32x4_s(x, multiplier), nudge), i64x2.add(i64x2.extmul_high_i32x4_s(x, multiplier), nudge));
  const stepped = i32x4.add(q, v128.and(i32x4.shr_s(q, 31), v128.load(lane + (group << 3))));
  const unsigned = v128.xor(stepped, i32x4.splat(SIGN));
  const rightMul = v128.load(lane + 3 * (group << 2));
  const offset = params + (group << 4) + (channel << 3);
  const y = high31(
    i64x2.add(i64x2.extmul_low_i32x4_u(unsigned, rightMul), v128.load(offset)),
    i64x2.add(i64x2.extmul_high_i32x4_u(unsigned, rightMul), v128.load(offset, 16)),
  );
  return i32x4.add(i32x4.min_s(i32x4.max_s(y, low), high), zeroPoint);
}

// One channel of the same arithmetic, for the scalar paths (channel multiplier above 1).
@inline export function requantize1(acc: i32, params: usize, group: usize, channel: usize, zeroPoint: i32, low: i32, high: i32): i32 {
  if (isFloat64Requantization(params)) {
    const offset = params + (channel << 3);
    const x = <f64>acc;
    const v = x * load<f64>(offset + (group << 3)) + load<f64>(offset) + (x < 0 ? load<f64>(offset + (group << 4)) : 0);
    // The float64 form's offset holds the zero point.
    const y = <i32>floor<f64>(v) - zeroPoint;
    return (y < low ? low : y > high ? high : y) + zeroPoint;
  }
  const lane = params + (channel << 2);
  const x = acc * load<i32>(lane);
  const q = <i32>((<i64>x * <i64>load<i32>(lane + (group << 2)) + NUDGE) >> 31);
  const stepped = q + ((q >> 31) & load<i32>(lane + (group << 3)));
  const unsigned = <u64><u32>(stepped ^ SIGN);
  const rightMul = <u64>load<u32>(lane + 3 * (group << 2));
  const y = <i32>((<i64>(unsigned * rightMul) + load<i64>(params + (group << 4) + (channel << 3))) >> 31);
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

// storeInt8x8 of requantize4's lanes: saturated to int8, then clamped to [min8, max8] (the
// activation range, as i8x16 splats).
@inline export function storeClampedInt8x8(p: usize, a: v128, b: v128, count: i32, min8: v128, max8: v128): void {
  const bytes = i8x16.min_s(i8x16.max_s(i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(a, b), i16x8.splat(0)), min8), max8);
  if (count >= 8) {
    v128.store64_lane(p, bytes, 0);
    return;
  }
  storeInt8Tail(p, bytes, count);
}

// storeInt8x16 of requantize4's lanes, saturated then clamped as storeClampedInt8x8.
@inline export function storeClampedInt8x16(p: usize, a: v128, b: v128, c: v128, d: v128, count: i32, min8: v128, max8: v128): void {
  const bytes = i8x16.min_s(i8x16.max_s(i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(a, b), i16x8.narrow_i32x4_s(c, d)), min8), max8);
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
