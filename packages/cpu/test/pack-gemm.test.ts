import { describe, expect, it } from 'vitest';
import { packedGemmLength, packGemm, unpackGemm } from '../src/pack/pack-gemm.js';

function sequence(length: number, start: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => start + i);
}

describe('packGemm', () => {
  // Output channels below, equal to, above and a multiple of the 8-channel panel.
  for (const [taps, inChannels, outChannels] of [
    [1, 3, 5],
    [1, 4, 8],
    [9, 3, 9],
    [9, 2, 16],
    [1, 1, 1],
  ] as const) {
    it(`round-trips taps ${taps}, ${inChannels} → ${outChannels} channels with its bias`, () => {
      const filter = sequence(taps * inChannels * outChannels, 1);
      const bias = sequence(outChannels, -100);
      const packed = new Float32Array(packedGemmLength(taps, inChannels, outChannels) + 3);
      packGemm(filter, bias, taps, inChannels, outChannels, packed, 3);
      const unpacked = unpackGemm(packed.subarray(3), taps, inChannels, outChannels);
      expect(unpacked.filter).toEqual(filter);
      expect(unpacked.bias).toEqual(bias);
    });
  }

  it('lays out a panel as [8 bias][taps][inChannels][8] with zeros past outChannels', () => {
    // filter [inChannels=2, outChannels=3]: rows [1, 2, 3] and [4, 5, 6].
    const packed = new Float32Array(packedGemmLength(1, 2, 3));
    packGemm(Float32Array.of(1, 2, 3, 4, 5, 6), Float32Array.of(7, 8, 9), 1, 2, 3, packed, 0);
    expect([...packed]).toEqual([7, 8, 9, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0]);
  });

  it('packs a missing bias as zeros', () => {
    const packed = new Float32Array(packedGemmLength(1, 1, 2)).fill(Number.NaN);
    packGemm(Float32Array.of(1, 2), undefined, 1, 1, 2, packed, 0);
    expect(unpackGemm(packed, 1, 1, 2).bias).toEqual(new Float32Array(2));
  });
});
