import type { ConvRequantization } from '@sepconv/tensor';

/** Bytes of the packed requantization of one output channel (see {@link packInt8Requantization}). */
export const INT8_REQUANTIZATION_BYTES = 24;

/**
 * The integers the wasm requantization (assembly/int8-requantize.ts, where the arithmetic is
 * derived) reads for one output channel, from its TensorFlow Lite multiplier and shift:
 * `leftMul = 2^max(shift, 0)`, and with `e = max(−shift, 0)`, `negativeStep = e > 0 ? −1 : 0`,
 * `rightMul = 2^(31−e)`, `offset = (2^(e−1) − 2^31)·2^(31−e)` (`−2^62` when e = 0).
 */
export interface Int8ChannelRequantization {
  readonly leftMul: number;
  readonly multiplier: number;
  readonly negativeStep: number;
  readonly rightMul: number;
  readonly offset: bigint;
}

/** Channel `o`'s integers (see {@link Int8ChannelRequantization}). */
export function int8ChannelRequantization(r: ConvRequantization, o: number): Int8ChannelRequantization {
  const shift = r.shifts[o]!;
  const rightShift = shift < 0 ? -shift : 0;
  const rightMul = 2 ** (31 - rightShift);
  const half = rightShift > 0 ? 2n ** BigInt(rightShift - 1) : 0n;
  return {
    leftMul: 2 ** (shift > 0 ? shift : 0),
    multiplier: r.multipliers[o]!,
    negativeStep: rightShift > 0 ? -1 : 0,
    rightMul,
    offset: (half - 2n ** 31n) * BigInt(rightMul),
  };
}

/** Whether the low 32 bits of float64 `value` are 0 (how the kernels tell a float64 record from an integer one). */
function hasZeroLowWord(value: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value, true);
  return view.getUint32(0, true) === 0;
}

/**
 * The float64 form of channel `o`'s requantization (assembly/int8-requantize.ts derives it), for
 * accumulators bounded by `bound` in magnitude, or `undefined` when that form is not exact for
 * them. With e = max(−shift, 0), the left shift folded into the multiplier and the output zero
 * point z into the offset: `z + y = floor(x·scale + offset + [x < 0]·negativeOffset)`,
 * scale = M·2^(leftShift − 31 − e), offset = (2^30 + [e > 0]·2^(30+e)) / 2^(31+e) + z,
 * negativeOffset = −[e > 0]·2^−e — every value an integer numerator below 2^53 over 2^(31+e), so
 * f64 arithmetic is exact when bound·2^leftShift·M + 2^30 + 2^(30+e) + 2^31 + |z|·2^(31+e) ≤ 2^53.
 * Also needs M = 0 or M ≥ 2^30 (the sign of x then stands for the sign of TensorFlow Lite's
 * intermediate), and `offset`'s low 32 bits to be 0 (true for e ≤ 12 and any z; the kernels tell
 * the two record forms apart by that word; `leftMul` is ≥ 1).
 */
export function float64ChannelRequantization(
  r: ConvRequantization,
  o: number,
  bound: number,
): { scale: number; offset: number; negativeOffset: number } | undefined {
  const multiplier = r.multipliers[o]!;
  const shift = r.shifts[o]!;
  const leftShift = Math.max(shift, 0);
  const e = Math.max(-shift, 0);
  const z = r.outputZeroPoint;
  if ((multiplier !== 0 && multiplier < 2 ** 30) || !Number.isFinite(bound)) return undefined;
  const numerator =
    BigInt(bound) * 2n ** BigInt(leftShift) * BigInt(multiplier) +
    2n ** 30n +
    2n ** BigInt(30 + e) +
    2n ** 31n +
    BigInt(Math.abs(z)) * 2n ** BigInt(31 + e);
  if (numerator > 2n ** 53n) return undefined;
  const offset = (2 ** 30 + (e > 0 ? 2 ** (30 + e) : 0)) / 2 ** (31 + e) + z;
  if (!hasZeroLowWord(offset)) return undefined;
  return { scale: multiplier * 2 ** (leftShift - 31 - e), offset, negativeOffset: e > 0 ? -(2 ** -e) : 0 };
}

/** What padded channels (never stored) get in the float64 form: floor(0.5) = 0. */
const FLOAT64_PADDING = { scale: 0, offset: 0.5, negativeOffset: 0 };

/** What padded channels (never stored) get. */
const PADDING: Int8ChannelRequantization = { leftMul: 1, multiplier: 0, negativeStep: 0, rightMul: 2 ** 31, offset: -(2n ** 62n) };

/**
 * Packs the requantization of output channels `[first, first + group)` for a block of `group`
 * channels at byte `byteOffset` of `out` (`group · 24` bytes). When `bounds` (each channel's
 * largest possible |accumulator|, see {@link accumulatorBounds}) lets every channel of the block
 * use the float64 form ({@link float64ChannelRequantization}), as three little-endian float64
 * arrays: offset[group], scale[group], negativeOffset[group]; otherwise as five integer arrays:
 * leftMul int32[group], multiplier int32[group], negativeStep int32[group], rightMul
 * uint32[group], offset int64[group]. Channels past `outChannels` get multiplier 0.
 */
export function packInt8Requantization(
  r: ConvRequantization,
  first: number,
  group: number,
  outChannels: number,
  out: DataView,
  byteOffset: number,
  bounds?: ArrayLike<number>,
): void {
  const float64 =
    bounds &&
    Array.from({ length: group }, (_, j) =>
      first + j < outChannels ? float64ChannelRequantization(r, first + j, bounds[first + j]!) : FLOAT64_PADDING,
    );
  if (float64?.every((c) => c !== undefined)) {
    for (let j = 0; j < group; j++) {
      const c = float64[j]!;
      out.setFloat64(byteOffset + 8 * j, c.offset, true);
      out.setFloat64(byteOffset + 8 * (group + j), c.scale, true);
      out.setFloat64(byteOffset + 8 * (2 * group + j), c.negativeOffset, true);
    }
    return;
  }
  for (let j = 0; j < group; j++) {
    const o = first + j;
    const c = o < outChannels ? int8ChannelRequantization(r, o) : PADDING;
    out.setInt32(byteOffset + 4 * j, c.leftMul | 0, true);
    out.setInt32(byteOffset + 4 * (group + j), c.multiplier, true);
    out.setInt32(byteOffset + 4 * (2 * group + j), c.negativeStep, true);
    out.setUint32(byteOffset + 4 * (3 * group + j), c.rightMul, true);
    out.setBigInt64(byteOffset + 16 * group + 8 * j, c.offset, true);
  }
}

/**
 * `bias[o] − inputZeroPoint · Σ w` (int32, wrapping as the kernels' sums do) for each output
 * channel: the zero-point term of `Σ w·(x − inputZeroPoint)`, folded into the bias at packing
 * time so the kernels multiply stored inputs as they are. `weightAt(i, o)` is the `i`-th of the
 * `count` weights feeding output channel `o`.
 */
export function foldZeroPoint(
  bias: Int32Array | undefined,
  inputZeroPoint: number,
  outChannels: number,
  count: number,
  weightAt: (i: number, o: number) => number,
): Int32Array {
  const folded = new Int32Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    let sum = 0;
    for (let i = 0; i < count; i++) sum = (sum + weightAt(i, o)) | 0;
    folded[o] = ((bias ? bias[o]! : 0) - Math.imul(inputZeroPoint, sum)) | 0;
  }
  return folded;
}

/**
 * For each output channel, the largest |accumulator| the kernels can form: |bias − inputZeroPoint·Σw|
 * (exact, unwrapped) + 128·Σ|w|, stored inputs lying in [−128, 127]; `Infinity` when the folded
 * bias leaves int32 (the kernels' sums would wrap). `weightAt` as for {@link foldZeroPoint}.
 */
export function accumulatorBounds(
  bias: Int32Array | undefined,
  inputZeroPoint: number,
  outChannels: number,
  count: number,
  weightAt: (i: number, o: number) => number,
): Float64Array {
  const bounds = new Float64Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    let sum = 0;
    let absSum = 0;
    for (let i = 0; i < count; i++) {
      const w = weightAt(i, o);
      sum += w;
      absSum += Math.abs(w);
    }
    const folded = (bias ? bias[o]! : 0) - inputZeroPoint * sum;
    bounds[o] = Math.abs(folded) < 2 ** 31 ? Math.abs(folded) + 128 * absSum : Infinity;
  }
  return bounds;
}
