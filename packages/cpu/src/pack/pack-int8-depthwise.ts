import { ValueError, type ConvRequantization } from '@sepconv/tensor';
import { INT8_DWCONV_CHANNEL_TILE } from '../wasm/job-layout.js';
import { accumulatorBounds, foldZeroPoint, INT8_REQUANTIZATION_BYTES, packInt8Requantization } from './pack-int8-requantization.js';

/** Bytes of one packed int8 depthwise block (16 output channels). */
export function int8DepthwiseBlockBytes(taps: number): number {
  return INT8_DWCONV_CHANNEL_TILE * (4 + INT8_REQUANTIZATION_BYTES + taps * 2);
}

/** Bytes of the packed int8 depthwise weights (see {@link packInt8Depthwise}). */
export function packedInt8DepthwiseBytes(taps: number, outChannels: number): number {
  return Math.ceil(outChannels / INT8_DWCONV_CHANNEL_TILE) * int8DepthwiseBlockBytes(taps);
}

/**
 * Packs an int8 depthwise filter `[kernelHeight, kernelWidth, inChannels, multiplier]` (for each
 * tap, the `outChannels = inChannels·multiplier` weights in output-channel order), its int32 bias
 * and requantization for assembly/int8-dwconv.ts, in blocks of 16 output channels:
 * `[16 int32 bias − inputZeroPoint·Σw][16 channels' requantization][taps][16 int16 weights]`,
 * zero past `outChannels`. Weights are widened to int16 here, once, rather than in every pixel's loop.
 * Writes at byte `byteOffset` of `out`.
 * @param filter symmetric int8 weights in `[-127, 127]` (as `QuantizedConvWeights` holds them): the
 * kernel sums two taps' int16 products, which −128 could overflow.
 * @throws ValueError naming `filter` for a weight of −128.
 */
export function packInt8Depthwise(
  filter: Int8Array,
  bias: Int32Array | undefined,
  r: ConvRequantization,
  taps: number,
  outChannels: number,
  out: DataView,
  byteOffset: number,
): void {
  const tile = INT8_DWCONV_CHANNEL_TILE;
  if (filter.includes(-128)) throw new ValueError('packInt8Depthwise', 'filter', 'filter must hold symmetric int8 weights in [-127, 127], got -128');
  const folded = foldZeroPoint(bias, r.inputZeroPoint, outChannels, taps, (t, o) => filter[t * outChannels + o]!);
  const bounds = accumulatorBounds(bias, r.inputZeroPoint, outChannels, taps, (t, o) => filter[t * outChannels + o]!);
  const blockBytes = int8DepthwiseBlockBytes(taps);
  for (let first = 0, block = byteOffset; first < outChannels; first += tile, block += blockBytes) {
    for (let j = 0; j < tile; j++) out.setInt32(block + 4 * j, first + j < outChannels ? folded[first + j]! : 0, true);
    packInt8Requantization(r, first, tile, outChannels, out, block + tile * 4, bounds);
    const weights = block + tile * (4 + INT8_REQUANTIZATION_BYTES);
    for (let t = 0; t < taps; t++) {
      for (let j = 0; j < tile; j++) {
        const o = first + j;
        out.setInt16(weights + (t * tile + j) * 2, o < outChannels ? filter[t * outChannels + o]! : 0, true);
      }
    }
  }
}

/** The inverse of {@link packInt8Depthwise}: filter `[taps, outChannels]` and the folded bias (`bias − inputZeroPoint·Σw`). */
export function unpackInt8Depthwise(packed: DataView, taps: number, outChannels: number): { filter: Int8Array; foldedBias: Int32Array } {
  const tile = INT8_DWCONV_CHANNEL_TILE;
  const filter = new Int8Array(taps * outChannels);
  const foldedBias = new Int32Array(outChannels);
  const blockBytes = int8DepthwiseBlockBytes(taps);
  for (let first = 0, block = 0; first < outChannels; first += tile, block += blockBytes) {
    const weights = block + tile * (4 + INT8_REQUANTIZATION_BYTES);
    for (let j = 0; j < tile && first + j < outChannels; j++) {
      foldedBias[first + j] = packed.getInt32(block + 4 * j, true);
      for (let t = 0; t < taps; t++) filter[t * outChannels + first + j] = packed.getInt16(weights + (t * tile + j) * 2, true);
    }
  }
  return { filter, foldedBias };
}
