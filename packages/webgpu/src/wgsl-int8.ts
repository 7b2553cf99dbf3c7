import { WGSL_WORKGROUP_INDEX, wgslComputeMain } from './dispatch-grid.js';
import type { WgslPreamble } from './wgsl-preamble.js';

/**
 * WGSL building blocks of the int8 programs. Int8 tensors are `array<u32>`, 4 elements per word
 * (little-endian bytes, see `GpuQuantizedTensor`); every int8 program writes whole output words,
 * one per invocation, so no two invocations write one word.
 */

/** `fn load_<name>(i: i32) -> i32`: element `i` of the packed int8 array `name`, sign-extended. */
export function wgslInt8Load(name: string): string {
  return `fn load_${name}(i: i32) -> i32 {
  return extractBits(bitcast<i32>(${name}[i >> 2u]), u32(i & 3) * 8u, 8u);
}`;
}

/** `fn unpackInt8(v: u32) -> vec4<i32>`: the word's 4 signed bytes, by shifts (no `unpack4xI8`: that needs the packed-dot language feature). */
export const WGSL_UNPACK_INT8 = `fn unpackInt8(v: u32) -> vec4<i32> {
  let s = bitcast<i32>(v);
  return vec4<i32>((s << 24u) >> 24u, (s << 16u) >> 24u, (s << 8u) >> 24u, s >> 24u);
}`;

/**
 * TensorFlow Lite's requantization in i32 (WGSL has no i64), bit for bit as `fixed-point.ts` of
 * `@sepconv/tensor`: `highMul` is gemmlowp's SaturatingRoundingDoublingHighMul with the
 * 64-bit product built from 16-bit halves (u32 arithmetic wraps, as the 64-bit sum needs) and
 * sign-corrected; `divideByPot` is RoundingDivideByPOT; `mbqm` is MultiplyByQuantizedMultiplier
 * (left shift wrapping in i32, then the two roundings). Shifts stay in [0, 31]: WGSL takes a
 * shift amount modulo 32.
 */
export const WGSL_FIXED_POINT = `fn highMul(a: i32, b: i32) -> i32 {
  if (a == b && a == i32(-2147483647) - 1) { return 2147483647; }
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  let a0 = ua & 0xffffu;
  let a1 = ua >> 16u;
  let b0 = ub & 0xffffu;
  let b1 = ub >> 16u;
  let p00 = a0 * b0;
  let p01 = a0 * b1;
  let p10 = a1 * b0;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  let lo = (p00 & 0xffffu) | (mid << 16u);
  var hi = a1 * b1 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
  // The unsigned product less 2^32·b for a negative a (and likewise for b): the signed product.
  if (a < 0) { hi = hi - ub; }
  if (b < 0) { hi = hi - ua; }
  // Nudge 2^30 for a non-negative product, 1 − 2^30 for a negative one (sign-extended to 64 bits).
  let nonNegative = a == 0 || b == 0 || ((a < 0) == (b < 0));
  let nudgeLo = select(0xc0000001u, 0x40000000u, nonNegative);
  let nudgeHi = select(0xffffffffu, 0u, nonNegative);
  let sumLo = lo + nudgeLo;
  let sumHi = hi + nudgeHi + select(0u, 1u, sumLo < lo);
  // floor(sum / 2^31) fits in i32; C's division truncates, so a negative quotient with a remainder goes up by one.
  let quotient = bitcast<i32>((sumHi << 1u) | (sumLo >> 31u));
  let inexact = (sumLo & 0x7fffffffu) != 0u;
  return select(quotient, quotient + 1, bitcast<i32>(sumHi) < 0 && inexact);
}

fn divideByPot(x: i32, exponent: i32) -> i32 {
  let mask = bitcast<i32>((1u << u32(exponent)) - 1u);
  let remainder = x & mask;
  let threshold = (mask >> 1u) + select(0, 1, x < 0);
  return (x >> u32(exponent)) + select(0, 1, remainder > threshold);
}

fn mbqm(x: i32, multiplier: i32, shift: i32) -> i32 {
  let shifted = bitcast<i32>(bitcast<u32>(x) << u32(max(shift, 0)));
  return divideByPot(highMul(shifted, multiplier), max(-shift, 0));
}`;

/** The WGSL language feature that brings `dot4I8Packed`: the int8 convolutions' fast path where the runtime has it. */
export const PACKED_DOT_FEATURE = 'packed_4x8_integer_dot_product';

/** Element types of the word-wise int8 convolutions' bindings: x, weights and y packed int8 words, `[C][4]` int32 channel records. */
const INT8_CONV_ELEMENT_TYPES = { x: 'u32', weights: 'u32', channels: 'i32', y: 'u32' };

/**
 * The preamble of the int8 convolutions that read whole words (c4, gemm4x4, depthwise c4):
 * bindings x, weights, channels (`pack-quantized-conv-weights.ts`) and y, their `Params`,
 * `unpackInt8` and the fixed-point requantization; with `packedDot`, the `requires` directive
 * of `dot4I8Packed` (see {@link wgslInt8Dot}).
 */
export function int8ConvPreamble<U extends string>(uniforms: readonly U[], packedDot = false): WgslPreamble<U> {
  return {
    inputs: ['x', 'weights', 'channels'],
    uniforms,
    elementTypes: INT8_CONV_ELEMENT_TYPES,
    requires: packedDot ? [PACKED_DOT_FEATURE] : [],
    functions: [WGSL_UNPACK_INT8, WGSL_FIXED_POINT],
  };
}

/**
 * WGSL of the four-term dot product of two words of packed int8: `dot4I8Packed` with
 * `packedDot`, otherwise the same sum from unpacked lanes (bit-identical: integer sums).
 */
export function wgslInt8Dot(a: string, b: string, packedDot: boolean): string {
  return packedDot ? `dot4I8Packed(${a}, ${b})` : `dot(unpackInt8(${a}), unpackInt8(${b}))`;
}

/** TensorFlow Lite's rounded int8 average: `sum / count` rounded half away from zero, as C computes it (WGSL's i32 `/` truncates too). */
export const WGSL_ROUNDED_AVERAGE = `fn roundedAverage(sum: i32, count: i32) -> i32 {
  let half = count / 2;
  return select(sum - half, sum + half, sum > 0) / count;
}`;

/**
 * The entry point of an int8 program that writes one output word per invocation: elements
 * `4·word … 4·word + 3` (below `params.total`) from the program's `fn element(i: i32) -> i32`
 * (or, with `keepsOutput`, `fn element(i: i32, old: i32) -> i32`, given the byte already there:
 * a concatenation's slices fill one output in several dispatches). Params need `total` and `words`.
 */
export function wgslInt8WordMain(workgroupSize: number, keepsOutput = false): string {
  return `${wgslComputeMain(workgroupSize)}
  let word = ${WGSL_WORKGROUP_INDEX} * ${workgroupSize} + i32(local);
  if (word >= params.words) { return; }
${keepsOutput ? '  let previous = bitcast<i32>(y[word]);\n' : ''}  var packed = 0u;
  for (var lane = 0; lane < 4; lane++) {
    let i = word * 4 + lane;
    if (i < params.total) {
      let value = element(i${keepsOutput ? ', extractBits(previous, u32(lane) * 8u, 8u)' : ''});
      packed = packed | ((bitcast<u32>(value) & 0xffu) << (u32(lane) * 8u));
    }
  }
  y[word] = packed;
}`;
}

/**
 * `fn quantizeBits(xBits: u32, scaleBits: u32, zeroPoint: i32) -> i32`: the int8 of float32
 * `x` (its bits), `clamp(round(x / scale) + zeroPoint, −128, 127)`, where `x / scale` is the
 * correctly rounded float32 quotient (WGSL's `/` is not: 2.5 ulp) and `round` goes half away
 * from zero — in integers: both significands normalised to 24 bits, 26 quotient bits by long
 * division plus a sticky remainder, rounded to nearest-even at 24 bits (the float32 quotient),
 * then to an integer. Quotients of 1024 or more saturate whatever the zero point; below 1/4
 * they round to 0. ±Infinity saturates; NaN (which has no int8) gives the zero point (host
 * inputs holding NaN are refused before the dispatch, as the reference does).
 */
export const WGSL_QUANTIZE = `fn normalisedSignificand(bits: u32) -> vec2<i32> {
  let exponent = i32((bits >> 23u) & 0xffu);
  let fraction = bits & 0x7fffffu;
  if (exponent != 0) { return vec2<i32>(i32(fraction | 0x800000u), exponent); }
  // A subnormal: shift the leading one up to bit 23.
  let lead = countLeadingZeros(fraction) - 8u;
  return vec2<i32>(i32(fraction << lead), 1 - i32(lead));
}

fn quantizeBits(xBits: u32, scaleBits: u32, zeroPoint: i32) -> i32 {
  let negative = (xBits >> 31u) != 0u;
  let magnitude = xBits & 0x7fffffffu;
  if (magnitude > 0x7f800000u) { return zeroPoint; }
  if (magnitude == 0u) { return zeroPoint; }
  let saturated = select(127, -128, negative);
  if (magnitude == 0x7f800000u) { return saturated; }
  let xs = normalisedSignificand(magnitude);
  let ss = normalisedSignificand(scaleBits);
  let divisor = u32(ss.x);
  var remainder = u32(xs.x);
  var bits = 0u;
  for (var k = 0; k < 26; k++) {
    bits = bits << 1u;
    if (remainder >= divisor) {
      remainder = remainder - divisor;
      bits = bits | 1u;
    }
    remainder = remainder << 1u;
  }
  // bits = floor(2^25 · xSignificand / sSignificand), in [2^24, 2^26).
  let wide = bits >= 0x2000000u;
  var exponent = xs.y - ss.y - select(1, 0, wide);
  var significand = select(bits >> 1u, bits >> 2u, wide);
  let roundBit = select(bits & 1u, (bits >> 1u) & 1u, wide);
  let sticky = remainder != 0u || (wide && (bits & 1u) != 0u);
  if (roundBit != 0u && (sticky || (significand & 1u) != 0u)) { significand = significand + 1u; }
  // The float32 quotient is significand · 2^(exponent − 23), significand in [2^23, 2^24].
  if (exponent >= 10) { return saturated; }
  if (exponent < -2) { return clamp(zeroPoint, -128, 127); }
  let shift = u32(23 - exponent);
  let whole = significand >> shift;
  let fractionBits = significand & ((1u << shift) - 1u);
  let rounded = i32(whole + select(0u, 1u, fractionBits >= (1u << (shift - 1u))));
  return clamp(zeroPoint + select(rounded, -rounded, negative), -128, 127);
}`;
