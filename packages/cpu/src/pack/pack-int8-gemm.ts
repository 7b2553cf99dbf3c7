import type { ConvRequantization } from '@sepconv/tensor';
import { INT8_GEMM_KR, INT8_GEMM_NR } from '../wasm/job-layout.js';
import { accumulatorBounds, foldZeroPoint, INT8_REQUANTIZATION_BYTES, packInt8Requantization } from './pack-int8-requantization.js';

/** `inChannels` rounded up to the micro-kernel's 8-channel step. */
function paddedInChannels(inChannels: number): number {
  return Math.ceil(inChannels / INT8_GEMM_KR) * INT8_GEMM_KR;
}

/**
 * How the kernel reduces over `taps` taps of `inChannels` channels: below the 8-deep step the
 * taps are packed densely, as one tap of `taps·inChannels` channels (padding each tap to 8 would
 * spend 72 multiply-adds a row of a 3-channel 3×3 stem on 27 weights); assembly/int8-gemm.ts
 * gathers the activations the same way. Otherwise as given.
 */
export function int8GemmReduction(taps: number, inChannels: number): { taps: number; inChannels: number } {
  return inChannels < INT8_GEMM_KR ? { taps: 1, inChannels: taps * inChannels } : { taps, inChannels };
}

/** Bytes of one weight: int8 filters are stored widened to int16 (see {@link packInt8Gemm}). */
const WEIGHT_BYTES = 2;

/** Bytes of one packed int8 GEMM panel (8 output channels). */
export function int8GemmPanelBytes(taps: number, inChannels: number): number {
  const reduction = int8GemmReduction(taps, inChannels);
  return (
    INT8_GEMM_NR * 4 +
    INT8_GEMM_NR * INT8_REQUANTIZATION_BYTES +
    reduction.taps * paddedInChannels(reduction.inChannels) * INT8_GEMM_NR * WEIGHT_BYTES
  );
}

/** Byte offset, within a panel's weights, of input channel `k` of tap `t` for panel channel `j`. */
function weightOffset(t: number, k8: number, k: number, j: number): number {
  // Pair k >> 1 (32 bytes), half j >> 2 of them (16 bytes: output channels 0–3, then 4–7),
  // channel j & 3 (4 bytes: the pair's two int16), member k & 1.
  return ((t * k8 + (k & ~1)) * INT8_GEMM_NR + (j >> 2) * 8 + (j & 3) * 2 + (k & 1)) * WEIGHT_BYTES;
}

/** Bytes of the packed int8 GEMM weights (see {@link packInt8Gemm}). */
export function packedInt8GemmBytes(taps: number, inChannels: number, outChannels: number): number {
  return Math.ceil(outChannels / INT8_GEMM_NR) * int8GemmPanelBytes(taps, inChannels);
}

/**
 * Packs an int8 standard or pointwise filter, `[kernelHeight, kernelWidth, inChannels, outChannels]`
 * (pointwise `[inChannels, outChannels]`, taps = 1), its int32 bias and its requantization for
 * assembly/int8-gemm.ts, in panels of 8 output channels:
 * `[8 int32 bias − inputZeroPoint·Σw][8 channels' requantization][taps][inChannels/2 pairs][32 bytes]`,
 * the 32 bytes holding one input-channel pair as int16 for output channels 0–3 (channel-major,
 * pair-minor) then 4–7 — widened here once so the kernel's inner loop feeds `i32x4.dot_i16x8_s`
 * straight from memory — input channels padded with zeros to a multiple of 8, output channels to a multiple of 8.
 * Below 8 input channels the taps are packed densely, as one tap of `taps·inChannels` channels
 * (see {@link int8GemmReduction}). Writes at byte `byteOffset` of `out`.
 */
export function packInt8Gemm(
  filter: Int8Array,
  bias: Int32Array | undefined,
  r: ConvRequantization,
  taps: number,
  inChannels: number,
  outChannels: number,
  out: DataView,
  byteOffset: number,
): void {
  const rows = taps * inChannels;
  const folded = foldZeroPoint(bias, r.inputZeroPoint, outChannels, rows, (i, o) => filter[i * outChannels + o]!);
  const bounds = accumulatorBounds(bias, r.inputZeroPoint, outChannels, rows, (i, o) => filter[i * outChannels + o]!);
  // The filter's rows t·inChannels + k are also those of the dense reduction (one tap).
  const reduction = int8GemmReduction(taps, inChannels);
  const k8 = paddedInChannels(reduction.inChannels);
  const panelBytes = int8GemmPanelBytes(taps, inChannels);
  for (let first = 0, panel = byteOffset; first < outChannels; first += INT8_GEMM_NR, panel += panelBytes) {
    for (let j = 0; j < INT8_GEMM_NR; j++) out.setInt32(panel + 4 * j, first + j < outChannels ? folded[first + j]! : 0, true);
    packInt8Requantization(r, first, INT8_GEMM_NR, outChannels, out, panel + INT8_GEMM_NR * 4, bounds);
    const weights = panel + INT8_GEMM_NR * 4 + INT8_GEMM_NR * INT8_REQUANTIZATION_BYTES;
    for (let t = 0; t < reduction.taps; t++) {
      for (let k = 0; k < k8; k++) {
        for (let j = 0; j < INT8_GEMM_NR; j++) {
          const o = first + j;
          const value = k < reduction.inChannels && o < outChannels ? filter[(t * reduction.inChannels + k) * outChannels + o]! : 0;
          out.setInt16(weights + weightOffset(t, k8, k, j), value, true);
        }
      }
    }
  }
}

/** The inverse of {@link packInt8Gemm}: filter `[taps·inChannels, outChannels]` and the folded bias (`bias − inputZeroPoint·Σw`). */
export function unpackInt8Gemm(
  packed: DataView,
  taps: number,
  inChannels: number,
  outChannels: number,
): { filter: Int8Array; foldedBias: Int32Array } {
  const filter = new Int8Array(taps * inChannels * outChannels);
  const foldedBias = new Int32Array(outChannels);
  const reduction = int8GemmReduction(taps, inChannels);
  const k8 = paddedInChannels(reduction.inChannels);
  const panelBytes = int8GemmPanelBytes(taps, inChannels);
  for (let first = 0, panel = 0; first < outChannels; first += INT8_GEMM_NR, panel += panelBytes) {
    const weights = panel + INT8_GEMM_NR * 4 + INT8_GEMM_NR * INT8_REQUANTIZATION_BYTES;
    for (let j = 0; j < INT8_GEMM_NR && first + j < outChannels; j++) {
      const o = first + j;
      foldedBias[o] = packed.getInt32(panel + 4 * j, true);
      for (let t = 0; t < reduction.taps; t++) {
        for (let k = 0; k < reduction.inChannels; k++) {
          const row = t * reduction.inChannels + k;
          filter[row * outChannels + o] = packed.getInt16(weights + weightOffset(t, k8, k, j), true);
        }
      }
    }
  }
  return { filter, foldedBias };
}
