import { DWCONV_CHANNEL_TILE } from '../wasm/job-layout.js';

/** Floats of the packed depthwise weights: per block of 4 output channels, `[4 bias][taps][4]`. */
export function packedDepthwiseLength(taps: number, outChannels: number): number {
  return Math.ceil(outChannels / DWCONV_CHANNEL_TILE) * DWCONV_CHANNEL_TILE * (1 + taps);
}

/**
 * Packs a depthwise filter `[kernelHeight, kernelWidth, inChannels, multiplier]` — in memory
 * `[taps][outChannels]` with output channel `c·multiplier + m` — and its bias into blocks of 4
 * output channels, `[4 bias][taps][4]`, so a kernel finds one channel block's bias and every
 * tap in one contiguous run. Channels past `outChannels` are zero. Writes into `out` at float
 * offset `offset`. With `scale` (`[outChannels]`), each weight is multiplied by its output
 * channel's factor as it is copied (see `packGemm`).
 */
export function packDepthwise(
  filter: Float32Array,
  bias: Float32Array | undefined,
  taps: number,
  outChannels: number,
  out: Float32Array,
  offset: number,
  scale?: Float32Array,
): void {
  let p = offset;
  for (let first = 0; first < outChannels; first += DWCONV_CHANNEL_TILE) {
    for (let j = 0; j < DWCONV_CHANNEL_TILE; j++) out[p++] = bias && first + j < outChannels ? bias[first + j]! : 0;
    for (let t = 0; t < taps; t++) {
      for (let j = 0; j < DWCONV_CHANNEL_TILE; j++) {
        const channel = first + j;
        out[p++] = channel < outChannels ? filter[t * outChannels + channel]! * (scale ? scale[channel]! : 1) : 0;
      }
    }
  }
}

/** The inverse of {@link packDepthwise}: filter `[taps, outChannels]` and bias. */
export function unpackDepthwise(packed: Float32Array, taps: number, outChannels: number): { filter: Float32Array; bias: Float32Array } {
  const filter = new Float32Array(taps * outChannels);
  const bias = new Float32Array(outChannels);
  let p = 0;
  for (let first = 0; first < outChannels; first += DWCONV_CHANNEL_TILE) {
    for (let j = 0; j < DWCONV_CHANNEL_TILE; j++, p++) if (first + j < outChannels) bias[first + j] = packed[p]!;
    for (let t = 0; t < taps; t++) {
      for (let j = 0; j < DWCONV_CHANNEL_TILE; j++, p++) if (first + j < outChannels) filter[t * outChannels + first + j] = packed[p]!;
    }
  }
  return { filter, bias };
}
