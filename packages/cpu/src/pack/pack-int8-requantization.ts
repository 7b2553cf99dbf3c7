import type { ConvRequantization } from '@sepconv/tensor';

/** Bytes of the packed requantization of one output channel (see {@link packInt8Requantization}). */
export const INT8_REQUANTIZATION_BYTES = 32;

/**
 * The integers the wasm requantization (assembly/int8-requantize.ts) reads for one output
 * channel, derived from its TensorFlow Lite multiplier and shift: `leftMul = 2^max(shift, 0)`,
 * and with `e = max(−shift, 0)`, `half = 2^(e−1)` (0 when e = 0), `halfNegative = half − 1`
 * (0 when e = 0), `rightMul = 2^(31−e)`.
 */
export interface Int8ChannelRequantization {
  readonly leftMul: number;
  readonly multiplier: number;
  readonly half: number;
  readonly halfNegative: number;
  readonly rightMul: number;
}

/** Channel `o`'s integers (see {@link Int8ChannelRequantization}). */
export function int8ChannelRequantization(r: ConvRequantization, o: number): Int8ChannelRequantization {
  const shift = r.shifts[o]!;
  const rightShift = shift < 0 ? -shift : 0;
  const half = rightShift > 0 ? 2 ** (rightShift - 1) : 0;
  return {
    leftMul: 2 ** (shift > 0 ? shift : 0),
    multiplier: r.multipliers[o]!,
    half,
    halfNegative: rightShift > 0 ? half - 1 : 0,
    rightMul: 2 ** (31 - rightShift),
  };
}

/**
 * Packs the requantization of output channels `[first, first + group)` for a block of `group`
 * channels at byte `byteOffset` of `out`, as five little-endian arrays: leftMul int32[group],
 * multiplier int32[group], half int64[group], halfNegative int64[group], rightMul int64[group]
 * (`group · 32` bytes). Channels past `outChannels` get multiplier 0 (their outputs are never stored).
 */
export function packInt8Requantization(r: ConvRequantization, first: number, group: number, outChannels: number, out: DataView, byteOffset: number): void {
  for (let j = 0; j < group; j++) {
    const o = first + j;
    const c = o < outChannels ? int8ChannelRequantization(r, o) : { leftMul: 1, multiplier: 0, half: 0, halfNegative: 0, rightMul: 2 ** 31 };
    out.setInt32(byteOffset + 4 * j, c.leftMul | 0, true);
    out.setInt32(byteOffset + 4 * (group + j), c.multiplier, true);
    setInt64(out, byteOffset + 8 * (group + j), c.half);
    setInt64(out, byteOffset + 8 * (2 * group + j), c.halfNegative);
    setInt64(out, byteOffset + 8 * (3 * group + j), c.rightMul);
  }
}

/** A non-negative integer below 2^32 as a little-endian int64. */
function setInt64(out: DataView, byteOffset: number, value: number): void {
  out.setUint32(byteOffset, value, true);
  out.setUint32(byteOffset + 4, 0, true);
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
