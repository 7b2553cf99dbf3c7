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

/** What padded channels (never stored) get. */
const PADDING: Int8ChannelRequantization = { leftMul: 1, multiplier: 0, negativeStep: 0, rightMul: 2 ** 31, offset: -(2n ** 62n) };

/**
 * Packs the requantization of output channels `[first, first + group)` for a block of `group`
 * channels at byte `byteOffset` of `out`, as five little-endian arrays: leftMul int32[group],
 * multiplier int32[group], negativeStep int32[group], rightMul uint32[group], offset
 * int64[group] (`group · 24` bytes). Channels past `outChannels` get multiplier 0.
 */
export function packInt8Requantization(
  r: ConvRequantization,
  first: number,
  group: number,
  outChannels: number,
  out: DataView,
  byteOffset: number,
): void {
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
