import type { QuantizedConvWeights } from '@sepconv/tensor';

/**
 * Int32 records per output channel, `CHANNEL_RECORD` values each: the bias with the input zero
 * point folded in (`bias − inputZeroPoint · Σw`, wrapping as the int32 accumulator does, for
 * programs that multiply raw int8 inputs), the bias itself (0 without one, for programs that
 * subtract the zero point from each input), the multiplier and the shift.
 */
export const CHANNEL_RECORD = 4;

/** Input channels each output channel reads: all of them for conv2d / pointwise, one for depthwise. */
export function groupInChannels(weights: QuantizedConvWeights): number {
  return weights.kind === 'depthwiseConv2d' ? 1 : weights.inChannels;
}

/** `filter` index of output channel `o`'s weight at tap `t` (`ky · kernelWidth + kx`) and group input channel `gi`. */
function filterIndex(weights: QuantizedConvWeights, o: number, t: number, gi: number): number {
  // Depthwise [KH, KW, C, M]: output channel o = c·M + m is element o of the tap's row.
  if (weights.kind === 'depthwiseConv2d') return t * weights.outChannels + o;
  return (t * weights.inChannels + gi) * weights.outChannels + o;
}

/** The per-channel records (see {@link CHANNEL_RECORD}), `[outChannels · 4]`. */
export function packChannelRecords(weights: QuantizedConvWeights): Int32Array {
  const { outChannels, requantization: r } = weights;
  const taps = weights.kernelHeight * weights.kernelWidth;
  const groupIn = groupInChannels(weights);
  const records = new Int32Array(outChannels * CHANNEL_RECORD);
  for (let o = 0; o < outChannels; o++) {
    let sum = 0;
    for (let t = 0; t < taps; t++) for (let gi = 0; gi < groupIn; gi++) sum += weights.filter[filterIndex(weights, o, t, gi)]!;
    const bias = weights.bias?.[o] ?? 0;
    records[o * CHANNEL_RECORD] = (bias - Math.imul(r.inputZeroPoint, sum)) | 0;
    records[o * CHANNEL_RECORD + 1] = bias;
    records[o * CHANNEL_RECORD + 2] = r.multipliers[o]!;
    records[o * CHANNEL_RECORD + 3] = r.shifts[o]!;
  }
  return records;
}

/**
 * One int32 per weight, output channel major: `[outChannels][kernelHeight][kernelWidth][groupIn]`
 * (`groupIn` = inChannels, or 1 for depthwise), so an invocation computing one output element
 * reads its weights contiguously, whatever the channel counts.
 */
export function packWeightsPerElement(weights: QuantizedConvWeights): Int32Array {
  const taps = weights.kernelHeight * weights.kernelWidth;
  const groupIn = groupInChannels(weights);
  const packed = new Int32Array(weights.outChannels * taps * groupIn);
  let k = 0;
  for (let o = 0; o < weights.outChannels; o++) {
    for (let t = 0; t < taps; t++) for (let gi = 0; gi < groupIn; gi++) packed[k++] = weights.filter[filterIndex(weights, o, t, gi)]!;
  }
  return packed;
}

/**
 * Int8 weights 4 per word (little-endian bytes). Conv2d / pointwise (`inChannels % 4 = 0`):
 * `[outChannels][kernelHeight][kernelWidth][inChannels / 4]` words, each the weights of 4
 * consecutive input channels — the operand of one `dot4I8Packed` with a word of input. Depthwise
 * with multiplier 1 (`channels % 4 = 0`): the filter's own layout `[kernelHeight][kernelWidth][channels]`,
 * 4 channels per word.
 */
export function packWeightWords(weights: QuantizedConvWeights): Uint32Array {
  if (weights.kind === 'depthwiseConv2d') {
    const words = new Uint32Array(Math.ceil(weights.filter.length / 4));
    new Int8Array(words.buffer).set(weights.filter);
    return words;
  }
  const taps = weights.kernelHeight * weights.kernelWidth;
  const bytes = new Int8Array(weights.outChannels * taps * weights.inChannels);
  let k = 0;
  for (let o = 0; o < weights.outChannels; o++) {
    for (let t = 0; t < taps; t++) for (let c = 0; c < weights.inChannels; c++) bytes[k++] = weights.filter[filterIndex(weights, o, t, c)]!;
  }
  return new Uint32Array(bytes.buffer, 0, bytes.length / 4);
}
