import { Random, type ConvRequantization } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { packedInt8DepthwiseBytes, packInt8Depthwise, unpackInt8Depthwise } from '../src/pack/pack-int8-depthwise.js';
import { packedInt8GemmBytes, packInt8Gemm, unpackInt8Gemm } from '../src/pack/pack-int8-gemm.js';
import { packedInt8GemmRelaxedDotBytes, packInt8GemmRelaxedDot, unpackInt8GemmRelaxedDot } from '../src/pack/pack-int8-gemm-relaxed-dot.js';
import {
  accumulatorBounds,
  float64ChannelRequantization,
  foldZeroPoint,
  int8ChannelRequantization,
  packInt8Requantization,
} from '../src/pack/pack-int8-requantization.js';

function requantization(outChannels: number, inputZeroPoint: number): ConvRequantization {
  return {
    inputZeroPoint,
    outputZeroPoint: 0,
    multipliers: new Int32Array(outChannels).fill(2 ** 30),
    shifts: Int32Array.from({ length: outChannels }, (_, o) => (o % 5) - 3),
    activationMin: -128,
    activationMax: 127,
  };
}

const random = new Random(9);
const int8s = (length: number): Int8Array => Int8Array.from({ length }, () => random.int(-127, 127));
const int32s = (length: number): Int32Array => Int32Array.from({ length }, () => random.int(-(2 ** 20), 2 ** 20));

/** `bias − zeroPoint·Σw` over the `count` weights of each output channel, in plain arithmetic (no wrapping at these sizes). */
function expectedFold(filter: Int8Array, bias: Int32Array, zeroPoint: number, count: number, outChannels: number): Int32Array {
  return Int32Array.from({ length: outChannels }, (_, o) => {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += filter[i * outChannels + o]!;
    return bias[o]! - zeroPoint * sum;
  });
}

describe('packInt8Gemm', () => {
  // Output channels below, at, above and a multiple of the 8-channel panel; input channels off the 8-deep step.
  for (const [taps, inChannels, outChannels] of [
    [1, 3, 5],
    [1, 8, 8],
    [9, 3, 9],
    [9, 17, 16],
    [1, 1, 1],
  ] as const) {
    it(`round-trips taps ${taps}, ${inChannels} → ${outChannels} channels, the input zero point folded into the bias`, () => {
      const filter = int8s(taps * inChannels * outChannels);
      const bias = int32s(outChannels);
      const bytes = packedInt8GemmBytes(taps, inChannels, outChannels);
      const buffer = new ArrayBuffer(bytes + 8);
      packInt8Gemm(filter, bias, requantization(outChannels, -7), taps, inChannels, outChannels, new DataView(buffer), 8);
      const unpacked = unpackInt8Gemm(new DataView(buffer, 8), taps, inChannels, outChannels);
      expect(unpacked.filter).toEqual(filter);
      expect(unpacked.foldedBias).toEqual(expectedFold(filter, bias, -7, taps * inChannels, outChannels));
    });
  }

  it('widens weights to int16 pairs, padding input channels to the 8-deep step and output channels to the panel with zeros', () => {
    const buffer = new ArrayBuffer(packedInt8GemmBytes(1, 3, 2));
    expect(buffer.byteLength).toBe(8 * 4 + 8 * 24 + 8 * 8 * 2);
    packInt8Gemm(Int8Array.of(1, 2, -3, 4, 5, 6), undefined, requantization(2, 0), 1, 3, 2, new DataView(buffer), 0);
    const weights = new Int16Array(buffer, 8 * 4 + 8 * 24);
    // Pair (k0, k1) for channels 0..3 then 4..7, then pair (k2, k3), each weight an int16: filter [[1, 2], [-3, 4], [5, 6]].
    expect([...weights.subarray(0, 32)]).toEqual([1, -3, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...weights.subarray(32)].every((v) => v === 0)).toBe(true);
  });

  it('packs the taps of fewer than 8 input channels densely: a 3×3 3-channel filter is one 27-deep reduction padded to 32', () => {
    expect(packedInt8GemmBytes(9, 3, 8)).toBe(8 * 4 + 8 * 24 + 32 * 8 * 2);
    expect(packedInt8GemmBytes(9, 8, 8)).toBe(8 * 4 + 8 * 24 + 9 * 8 * 8 * 2);
    const filter = Int8Array.from({ length: 27 }, (_, i) => i + 1);
    const buffer = new ArrayBuffer(packedInt8GemmBytes(9, 3, 1));
    packInt8Gemm(filter, undefined, requantization(1, 0), 9, 3, 1, new DataView(buffer), 0);
    const weights = new Int16Array(buffer, 8 * 4 + 8 * 24);
    // Output channel 0 of pair p holds rows 2p and 2p + 1 of the flattened filter: tap 1's first channel is row 3.
    expect(Array.from({ length: 16 }, (_, p) => [weights[16 * p]!, weights[16 * p + 1]!]).flat()).toEqual([
      ...Array.from({ length: 27 }, (_, i) => i + 1),
      0,
      0,
      0,
      0,
      0,
    ]);
  });
});

describe('packInt8GemmRelaxedDot', () => {
  // Input channels off the 4-channel step; output channels below, at and past the 8-channel panel.
  for (const [inChannels, outChannels] of [
    [3, 5],
    [8, 8],
    [17, 16],
    [1, 1],
  ] as const) {
    it(`round-trips ${inChannels} → ${outChannels} channels, the bias holding −zeroPoint·Σw + Σmax(−w, 0)`, () => {
      const filter = int8s(inChannels * outChannels);
      const bias = int32s(outChannels);
      const buffer = new ArrayBuffer(packedInt8GemmRelaxedDotBytes(inChannels, outChannels) + 4);
      packInt8GemmRelaxedDot(filter, bias, requantization(outChannels, 11), inChannels, outChannels, new DataView(buffer), 4);
      const unpacked = unpackInt8GemmRelaxedDot(new DataView(buffer, 4), inChannels, outChannels);
      expect(unpacked.filter).toEqual(filter);
      const fold = expectedFold(filter, bias, 11, inChannels, outChannels);
      const negativeSums = Array.from({ length: outChannels }, (_, o) => {
        let sum = 0;
        for (let k = 0; k < inChannels; k++) sum += Math.max(-filter[k * outChannels + o]!, 0);
        return sum;
      });
      expect([...unpacked.storedBias]).toEqual([...fold].map((v, o) => v + negativeSums[o]!));
    });
  }

  it('splits each weight into 7-bit positive and negative parts, four inputs of a channel in a row', () => {
    const buffer = new ArrayBuffer(packedInt8GemmRelaxedDotBytes(5, 2));
    expect(buffer.byteLength).toBe(8 * 4 + 8 * 24 + 2 * 64);
    // filter [5, 2]: input k, output o at k·2 + o.
    packInt8GemmRelaxedDot(Int8Array.of(1, -2, 3, -4, -127, 5, 6, 7, 127, -8), undefined, requantization(2, 0), 5, 2, new DataView(buffer), 0);
    const step = new Uint8Array(buffer, 8 * 4 + 8 * 24, 64);
    // Positive parts of channels 0 and 1 (inputs 0–3), then channels 2–7 zero; then the negative parts.
    expect([...step.subarray(0, 8)]).toEqual([1, 3, 0, 6, 0, 0, 5, 7]);
    expect([...step.subarray(32, 40)]).toEqual([0, 0, 127, 0, 2, 4, 0, 0]);
    expect([...step.subarray(8, 32), ...step.subarray(40)].every((v) => v === 0)).toBe(true);
    // Input 4 opens the next step, padded with zeros.
    expect([...new Uint8Array(buffer, 8 * 4 + 8 * 24 + 64, 8)]).toEqual([127, 0, 0, 0, 0, 0, 0, 0]);
    expect([...new Uint8Array(buffer, 8 * 4 + 8 * 24 + 64 + 32, 8)]).toEqual([0, 0, 0, 0, 8, 0, 0, 0]);
    expect(new Int32Array(buffer, 0, 2)).toEqual(Int32Array.of(127, 2 + 4 + 8));
  });
});

describe('packInt8Depthwise', () => {
  for (const [taps, outChannels] of [
    [9, 15],
    [9, 16],
    [4, 17],
    [25, 40],
  ] as const) {
    it(`round-trips ${taps} taps × ${outChannels} channels, the input zero point folded into the bias`, () => {
      const filter = int8s(taps * outChannels);
      const bias = int32s(outChannels);
      const buffer = new ArrayBuffer(packedInt8DepthwiseBytes(taps, outChannels));
      packInt8Depthwise(filter, bias, requantization(outChannels, 100), taps, outChannels, new DataView(buffer), 0);
      const unpacked = unpackInt8Depthwise(new DataView(buffer), taps, outChannels);
      expect(unpacked.filter).toEqual(filter);
      expect(unpacked.foldedBias).toEqual(expectedFold(filter, bias, 100, taps, outChannels));
    });
  }

  it('refuses a weight of -128, whose int16 products two taps could not sum', () => {
    const buffer = new ArrayBuffer(packedInt8DepthwiseBytes(1, 2));
    expect(() => packInt8Depthwise(Int8Array.of(3, -128), undefined, requantization(2, 0), 1, 2, new DataView(buffer), 0)).toThrow(
      /packInt8Depthwise: filter must hold symmetric int8 weights in \[-127, 127\]/,
    );
  });
});

describe('int8 requantization constants', () => {
  it('derive leftMul, the negative-tie step, rightMul and the offset from the shift', () => {
    const r = { ...requantization(3, 0), shifts: Int32Array.of(5, 0, -3) };
    expect(int8ChannelRequantization(r, 0)).toEqual({ leftMul: 32, multiplier: 2 ** 30, negativeStep: 0, rightMul: 2 ** 31, offset: -(2n ** 62n) });
    expect(int8ChannelRequantization(r, 1)).toEqual({ leftMul: 1, multiplier: 2 ** 30, negativeStep: 0, rightMul: 2 ** 31, offset: -(2n ** 62n) });
    expect(int8ChannelRequantization(r, 2)).toEqual({
      leftMul: 1,
      multiplier: 2 ** 30,
      negativeStep: -1,
      rightMul: 2 ** 28,
      offset: (4n - 2n ** 31n) * 2n ** 28n,
    });
  });

  it('fold the zero point wrapping in int32 as the kernels sum', () => {
    // Three weights of 2^30: the sum passes 2^31 and, times the zero point, wraps as int32 sums do.
    const folded = foldZeroPoint(Int32Array.of(5), -128, 1, 3, () => 2 ** 30);
    expect(folded[0]).toBe((5 - Math.imul(-128, (3 * 2 ** 30) | 0)) | 0);
  });
});

describe('float64ChannelRequantization', () => {
  const one = (multiplier: number, shift: number): ConvRequantization => ({
    inputZeroPoint: 0,
    outputZeroPoint: 0,
    multipliers: Int32Array.of(multiplier),
    shifts: Int32Array.of(shift),
    activationMin: -128,
    activationMax: 127,
  });

  it('folds the left shift into the scale and the rounding into two offsets', () => {
    expect(float64ChannelRequantization(one(2 ** 30, -3), 0, 1000)).toEqual({
      scale: 2 ** 30 / 2 ** 34,
      offset: (2 ** 30 + 2 ** 33) / 2 ** 34,
      negativeOffset: -(2 ** -3),
    });
    expect(float64ChannelRequantization(one(2 ** 30, 2), 0, 1000)).toEqual({ scale: 2 ** 30 / 2 ** 29, offset: 0.5, negativeOffset: 0 });
  });

  it('is used only while every partial sum stays an integer below 2^53 over 2^(31+e)', () => {
    const multiplier = 2 ** 31 - 1;
    const e = 20;
    // The largest bound with bound·M + 2^30 + 2^(30+e) + 2^31 ≤ 2^53.
    const largest = Number((2n ** 53n - 2n ** 30n - 2n ** BigInt(30 + e) - 2n ** 31n) / BigInt(multiplier));
    expect(float64ChannelRequantization(one(multiplier, -e), 0, largest)).toBeDefined();
    expect(float64ChannelRequantization(one(multiplier, -e), 0, largest + 1)).toBeUndefined();
    // A left shift multiplies the bound.
    expect(float64ChannelRequantization(one(multiplier, 1), 0, largest)).toBeUndefined();
  });

  it('is refused for right shifts past 20, multipliers in (0, 2^30) and unbounded accumulators', () => {
    expect(float64ChannelRequantization(one(2 ** 30, -21), 0, 10)).toBeUndefined();
    expect(float64ChannelRequantization(one(2 ** 30, -20), 0, 10)).toBeDefined();
    expect(float64ChannelRequantization(one(2 ** 30 - 1, -5), 0, 10)).toBeUndefined();
    expect(float64ChannelRequantization(one(0, -5), 0, 10)).toBeDefined();
    expect(float64ChannelRequantization(one(2 ** 30, -5), 0, Infinity)).toBeUndefined();
  });

  it('folds the output zero point into the offset, and counts it in the bound and the tag word', () => {
    const shifted = (zeroPoint: number, shift: number): ConvRequantization => ({ ...one(2 ** 30, shift), outputZeroPoint: zeroPoint });
    expect(float64ChannelRequantization(shifted(-128, -3), 0, 1000)?.offset).toBe((2 ** 30 + 2 ** 33) / 2 ** 34 - 128);
    expect(float64ChannelRequantization(shifted(127, 2), 0, 1000)?.offset).toBe(127.5);
    // |z|·2^(31+e) joins the numerator: the largest bound for z = 0 is too large for z = −128.
    const e = 10;
    const largest = Number((2n ** 53n - 2n ** 30n - 2n ** BigInt(30 + e) - 2n ** 31n) / 2n ** 30n);
    expect(float64ChannelRequantization(shifted(0, -e), 0, largest)).toBeDefined();
    expect(float64ChannelRequantization(shifted(-128, -e), 0, largest)).toBeUndefined();
    // 100.5 + 2^−15 needs 22 significant bits: its low word is not 0, so the integer form is used.
    expect(float64ChannelRequantization(shifted(0, -14), 0, 10)).toBeDefined();
    expect(float64ChannelRequantization(shifted(100, -14), 0, 10)).toBeUndefined();
    expect(float64ChannelRequantization(shifted(100, -13), 0, 10)).toBeDefined();
  });

  it('decides per packed group, which the kernels tell apart by its first word (0 only in the float64 form)', () => {
    const r: ConvRequantization = { ...one(2 ** 30, -4), multipliers: Int32Array.of(2 ** 30, 2 ** 30), shifts: Int32Array.of(-4, -4) };
    const view = new DataView(new ArrayBuffer(2 * 24));
    packInt8Requantization(r, 0, 2, 2, view, 0, [100, 100]);
    expect(view.getInt32(0, true)).toBe(0);
    expect(view.getFloat64(0, true)).toBe((2 ** 30 + 2 ** 34) / 2 ** 35);
    packInt8Requantization(r, 0, 2, 2, view, 0, [100, Infinity]);
    expect(view.getInt32(0, true)).toBe(1);
    packInt8Requantization(r, 0, 2, 2, view, 0);
    expect(view.getInt32(0, true)).toBe(1);
  });
});

describe('accumulatorBounds', () => {
  it('is |bias − zeroPoint·Σw| + 128·Σ|w|, or Infinity when that bias leaves int32', () => {
    const weights = [3, -5, 7];
    expect([...accumulatorBounds(Int32Array.of(10), -128, 1, 3, (i) => weights[i]!)]).toEqual([Math.abs(10 + 128 * 5) + 128 * 15]);
    expect([...accumulatorBounds(Int32Array.of(2 ** 31 - 1), -128, 1, 3, (i) => weights[i]!)]).toEqual([Infinity]);
    expect([...accumulatorBounds(undefined, 0, 1, 3, (i) => weights[i]!)]).toEqual([128 * 15]);
  });
});
