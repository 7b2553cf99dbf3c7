import type { ConvRequantization } from '@sepconv/tensor';
import { INT8_GEMM_NR } from '../wasm/job-layout.js';
import { accumulatorBounds, foldZeroPoint, INT8_REQUANTIZATION_BYTES, packInt8Requantization } from './pack-int8-requantization.js';

/** Input channels per step of the relaxed-dot kernel: the four bytes one int32 lane sums. */
const STEP = 4;
/** Bytes per step of a panel: positive then negative parts, 8 channels × 4 inputs each. */
const STEP_BYTES = 2 * INT8_GEMM_NR * STEP;
const HEADER_BYTES = INT8_GEMM_NR * 4 + INT8_GEMM_NR * INT8_REQUANTIZATION_BYTES;

/** Bytes of one packed panel (8 output channels) of {@link packInt8GemmRelaxedDot}. */
export function int8GemmRelaxedDotPanelBytes(inChannels: number): number {
  return HEADER_BYTES + Math.ceil(inChannels / STEP) * STEP_BYTES;
}

/** Bytes of a pointwise filter packed by {@link packInt8GemmRelaxedDot}. */
export function packedInt8GemmRelaxedDotBytes(inChannels: number, outChannels: number): number {
  return Math.ceil(outChannels / INT8_GEMM_NR) * int8GemmRelaxedDotPanelBytes(inChannels);
}

/** Byte offset, within a panel's weights, of part `part` (0 = max(w, 0), 1 = max(−w, 0)) of input `k`, panel channel `j`. */
function weightOffset(k: number, part: number, j: number): number {
  return Math.floor(k / STEP) * STEP_BYTES + part * INT8_GEMM_NR * STEP + (j >> 2) * 16 + (j & 3) * STEP + (k % STEP);
}

/**
 * Packs an int8 pointwise filter `[inChannels, outChannels]` for
 * assembly/int8-gemm-relaxed-dot.ts, in panels of 8 output channels:
 * `[8 int32 bias − inputZeroPoint·Σw + Σmax(−w, 0)][8 channels' requantization][inChannels/4 steps][64 bytes]`,
 * each step holding max(w, 0) of four input channels for output channels 0–3 then 4–7, then
 * max(−w, 0) the same way — both in [0, 127], the operand range in which
 * `i32x4.relaxed_dot_i8x16_i7x16_add_s` is exact (the kernel's comment derives the bias term).
 * Inputs padded with zeros to a multiple of 4, outputs to a multiple of 8. Writes at byte
 * `byteOffset` of `out`.
 */
export function packInt8GemmRelaxedDot(
  filter: Int8Array,
  bias: Int32Array | undefined,
  r: ConvRequantization,
  inChannels: number,
  outChannels: number,
  out: DataView,
  byteOffset: number,
): void {
  const folded = foldZeroPoint(bias, r.inputZeroPoint, outChannels, inChannels, (i, o) => filter[i * outChannels + o]!);
  const bounds = accumulatorBounds(bias, r.inputZeroPoint, outChannels, inChannels, (i, o) => filter[i * outChannels + o]!);
  const k4 = Math.ceil(inChannels / STEP) * STEP;
  const panelBytes = int8GemmRelaxedDotPanelBytes(inChannels);
  for (let first = 0, panel = byteOffset; first < outChannels; first += INT8_GEMM_NR, panel += panelBytes) {
    const weights = panel + HEADER_BYTES;
    for (let j = 0; j < INT8_GEMM_NR; j++) {
      const o = first + j;
      let negativeSum = 0;
      for (let k = 0; k < k4; k++) {
        const w = k < inChannels && o < outChannels ? filter[k * outChannels + o]! : 0;
        out.setUint8(weights + weightOffset(k, 0, j), Math.max(w, 0));
        out.setUint8(weights + weightOffset(k, 1, j), Math.max(-w, 0));
        negativeSum += Math.max(-w, 0);
      }
      out.setInt32(panel + 4 * j, o < outChannels ? (folded[o]! + negativeSum) | 0 : 0, true);
    }
    packInt8Requantization(r, first, INT8_GEMM_NR, outChannels, out, panel + INT8_GEMM_NR * 4, bounds);
  }
}

/** The inverse of {@link packInt8GemmRelaxedDot}: filter `[inChannels, outChannels]` and the bias as stored (`bias − inputZeroPoint·Σw + Σmax(−w, 0)`). */
export function unpackInt8GemmRelaxedDot(packed: DataView, inChannels: number, outChannels: number): { filter: Int8Array; storedBias: Int32Array } {
  const filter = new Int8Array(inChannels * outChannels);
  const storedBias = new Int32Array(outChannels);
  const panelBytes = int8GemmRelaxedDotPanelBytes(inChannels);
  for (let first = 0, panel = 0; first < outChannels; first += INT8_GEMM_NR, panel += panelBytes) {
    const weights = panel + HEADER_BYTES;
    for (let j = 0; j < INT8_GEMM_NR && first + j < outChannels; j++) {
      const o = first + j;
      storedBias[o] = packed.getInt32(panel + 4 * j, true);
      for (let k = 0; k < inChannels; k++) {
        filter[k * outChannels + o] = packed.getUint8(weights + weightOffset(k, 0, j)) - packed.getUint8(weights + weightOffset(k, 1, j));
      }
    }
  }
  return { filter, storedBias };
}
