import { describe, expect, it } from 'vitest';
import { packDepthwise, packedDepthwiseLength, unpackDepthwise } from '../src/pack/pack-depthwise.js';

describe('packDepthwise', () => {
  // Output channels below, equal to, above and a multiple of the 4-channel block.
  for (const [taps, outChannels] of [
    [9, 3],
    [9, 4],
    [9, 6],
    [25, 8],
    [1, 1],
  ] as const) {
    it(`round-trips ${taps} taps × ${outChannels} channels with its bias`, () => {
      const filter = Float32Array.from({ length: taps * outChannels }, (_, i) => i + 1);
      const bias = Float32Array.from({ length: outChannels }, (_, i) => -i - 1);
      const packed = new Float32Array(packedDepthwiseLength(taps, outChannels) + 5);
      packDepthwise(filter, bias, taps, outChannels, packed, 5);
      const unpacked = unpackDepthwise(packed.subarray(5), taps, outChannels);
      expect(unpacked.filter).toEqual(filter);
      expect(unpacked.bias).toEqual(bias);
    });
  }

  it('lays out a block as [4 bias][taps][4] with zeros past outChannels', () => {
    // filter [taps=2, outChannels=2]: tap 0 [1, 2], tap 1 [3, 4].
    const packed = new Float32Array(packedDepthwiseLength(2, 2));
    packDepthwise(Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 6), 2, 2, packed, 0);
    expect([...packed]).toEqual([5, 6, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0]);
  });
});
