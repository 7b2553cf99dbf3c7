import { GEMM_NR } from '../wasm/job-layout.js';

/**
 * Floats of the packed GEMM weights for `taps` kernel taps, `inChannels` and `outChannels`:
 * one panel per 8 output channels, each `[8 bias][taps][inChannels][8 weights]`.
 */
export function packedGemmLength(taps: number, inChannels: number, outChannels: number): number {
  return Math.ceil(outChannels / GEMM_NR) * GEMM_NR * (1 + taps * inChannels);
}

/**
 * Packs a standard or pointwise filter, `[kernelHeight, kernelWidth, inChannels, outChannels]`
 * (pointwise `[inChannels, outChannels]`, i.e. taps = 1) with its bias into panels of 8 output
 * channels, `[8 bias][taps][inChannels][8]`, so the micro-kernel streams one panel front to
 * back with two vector loads per input channel. Channels past `outChannels` are zero.
 * Writes into `out` at float offset `offset`.
 */
export function packGemm(
  filter: Float32Array,
  bias: Float32Array | undefined,
  taps: number,
  inChannels: number,
  outChannels: number,
  out: Float32Array,
  offset: number,
): void {
  const panels = Math.ceil(outChannels / GEMM_NR);
  const rows = taps * inChannels;
  let p = offset;
  for (let panel = 0; panel < panels; panel++) {
    const first = panel * GEMM_NR;
    for (let j = 0; j < GEMM_NR; j++) out[p++] = bias && first + j < outChannels ? bias[first + j]! : 0;
    for (let row = 0; row < rows; row++) {
      const source = row * outChannels + first;
      for (let j = 0; j < GEMM_NR; j++) out[p++] = first + j < outChannels ? filter[source + j]! : 0;
    }
  }
}

/** The inverse of {@link packGemm}: filter `[taps·inChannels, outChannels]` and bias. */
export function unpackGemm(
  packed: Float32Array,
  taps: number,
  inChannels: number,
  outChannels: number,
): { filter: Float32Array; bias: Float32Array } {
  const rows = taps * inChannels;
  const filter = new Float32Array(rows * outChannels);
  const bias = new Float32Array(outChannels);
  let p = 0;
  for (let first = 0; first < outChannels; first += GEMM_NR) {
    for (let j = 0; j < GEMM_NR; j++, p++) if (first + j < outChannels) bias[first + j] = packed[p]!;
    for (let row = 0; row < rows; row++) {
      for (let j = 0; j < GEMM_NR; j++, p++) if (first + j < outChannels) filter[row * outChannels + first + j] = packed[p]!;
    }
  }
  return { filter, bias };
}
