import { QuantizedConvWeights, Random } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { CHANNEL_RECORD, packChannelRecords, packWeightsPerElement, packWeightWords } from '../src/pack-quantized-conv-weights.js';

// No GPU: the int8 weight layouts the programs read, unpacked again by their documented index
// formulas and compared with the filter in its float layout.

function weights(kind: 'conv2d' | 'depthwiseConv2d' | 'pointwiseConv2d', filterShape: number[], seed: number): QuantizedConvWeights {
  const random = new Random(seed);
  const size = filterShape.reduce((a, b) => a * b, 1);
  const outChannels = kind === 'depthwiseConv2d' ? filterShape[2]! * filterShape[3]! : filterShape[filterShape.length - 1]!;
  return new QuantizedConvWeights({
    kind,
    filter: Int8Array.from({ length: size }, () => random.int(-127, 127)),
    filterShape,
    bias: Int32Array.from({ length: outChannels }, () => random.int(-5000, 5000)),
    weightScales: Array.from({ length: outChannels }, () => 0.01 + random.next() / 10),
    input: { scale: 0.05, zeroPoint: -37 },
    output: { scale: 0.1, zeroPoint: 5 },
  });
}

/** The filter element of output channel o, tap (ky, kx), input channel c (of the whole input), in the float layout. */
function filterAt(w: QuantizedConvWeights, o: number, ky: number, kx: number, c: number): number {
  const t = ky * w.kernelWidth + kx;
  if (w.kind === 'depthwiseConv2d') return w.filter[(t * w.inChannels + c) * w.channelMultiplier + (o % w.channelMultiplier)]!;
  return w.filter[(t * w.inChannels + c) * w.outChannels + o]!;
}

const cases = [
  weights('conv2d', [3, 2, 8, 12], 1),
  weights('conv2d', [3, 3, 3, 5], 2),
  weights('pointwiseConv2d', [16, 8], 3),
  weights('depthwiseConv2d', [3, 3, 8, 1], 4),
  weights('depthwiseConv2d', [5, 3, 3, 2], 5),
];

describe('int8 weight packing for the WebGPU programs', () => {
  for (const w of cases) {
    const label = `${w.kind} [${w.filterShape.join(', ')}]`;
    it(`${label}: one int32 per weight, [outChannels][KH][KW][groupIn], round-trips`, () => {
      const packed = packWeightsPerElement(w);
      const groupIn = w.kind === 'depthwiseConv2d' ? 1 : w.inChannels;
      expect(packed.length).toBe(w.filter.length);
      for (let o = 0; o < w.outChannels; o++) {
        const first = w.kind === 'depthwiseConv2d' ? Math.floor(o / w.channelMultiplier) : 0;
        for (let ky = 0; ky < w.kernelHeight; ky++) {
          for (let kx = 0; kx < w.kernelWidth; kx++) {
            for (let gi = 0; gi < groupIn; gi++) {
              expect(packed[((o * w.kernelHeight + ky) * w.kernelWidth + kx) * groupIn + gi]).toBe(filterAt(w, o, ky, kx, first + gi));
            }
          }
        }
      }
    });
    it(`${label}: channel records hold bias − inputZeroPoint·Σw, bias, multiplier, shift`, () => {
      const records = packChannelRecords(w);
      for (let o = 0; o < w.outChannels; o++) {
        let sum = 0;
        const first = w.kind === 'depthwiseConv2d' ? Math.floor(o / w.channelMultiplier) : 0;
        const groupIn = w.kind === 'depthwiseConv2d' ? 1 : w.inChannels;
        for (let ky = 0; ky < w.kernelHeight; ky++)
          for (let kx = 0; kx < w.kernelWidth; kx++) for (let gi = 0; gi < groupIn; gi++) sum += filterAt(w, o, ky, kx, first + gi);
        const record = Array.from(records.subarray(o * CHANNEL_RECORD, (o + 1) * CHANNEL_RECORD));
        expect(record).toEqual([w.bias![o]! + 37 * sum, w.bias![o], w.requantization.multipliers[o], w.requantization.shifts[o]]);
      }
    });
  }
  for (const w of cases.filter((c) => c.inChannels % 4 === 0 && (c.kind !== 'depthwiseConv2d' || c.channelMultiplier === 1))) {
    it(`${w.kind} [${w.filterShape.join(', ')}]: 4 weights per word in the layout the c4 programs read`, () => {
      const bytes = new Int8Array(packWeightWords(w).buffer);
      const inGroups = w.inChannels / 4;
      const taps = w.kernelHeight * w.kernelWidth;
      for (let o = 0; o < w.outChannels; o++) {
        for (let t = 0; t < taps; t++) {
          for (let c = 0; c < w.inChannels; c++) {
            const ky = Math.floor(t / w.kernelWidth);
            const kx = t % w.kernelWidth;
            if (w.kind === 'depthwiseConv2d') {
              if (c === o) expect(bytes[t * w.inChannels + c]).toBe(filterAt(w, o, ky, kx, c));
            } else {
              const word = (o * taps + t) * inGroups + Math.floor(c / 4);
              expect(bytes[word * 4 + (c % 4)]).toBe(filterAt(w, o, ky, kx, c));
            }
          }
        }
      }
    });
  }
});
