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
 * Writes into `out` at float offset `offset`. With `scale` (`[outChannels]`), each weight is
 * multiplied by its output channel's factor as it is copied (a batch norm folded while packing,
 * see `ChannelScaledTensor`): the float32 product, the same bits as folding first gives.
 */
export function packGemm(
  filter: Float32Array,
  bias: Float32Array | undefined,
  taps: number,
  inChannels: number,
  outChannels: number,
  out: Float32Array,
  offset: number,
  scale?: Float32Array,
): void {
  // Without a scale every factor is 1, which leaves each weight as it is (x·1 is x): one loop for both.
  const factor = scale ?? new Float32Array(outChannels).fill(1);
  const panels = Math.ceil(outChannels / GEMM_NR);
  const rows = taps * inChannels;
  const panelFloats = GEMM_NR * (1 + rows);
  for (let panel = 0; panel < panels; panel++) {
    const first = panel * GEMM_NR;
    for (let j = 0; j < GEMM_NR; j++) out[offset + panel * panelFloats + j] = bias && first + j < outChannels ? bias[first + j]! : 0;
  }
  // Walks the filter row by row, reading it in order and scattering each row's 8-channel runs to
  // their panels. The panel-by-panel walk this replaced read 32 bytes per filter row of
  // outChannels: on MobileNetV1's 4.2M weights it took 86–96 ms against 20–24 (medians of 25
  // interleaved runs, loaded 2-core machine), and packing is most of what a model's first
  // predict costs beyond a steady-state one.
  // A local constant, so the test below folds away (an imported binding is loaded on every use).
  const nr = GEMM_NR;
  const full = Math.floor(outChannels / nr);
  for (let row = 0; row < rows; row++) {
    const source = row * outChannels;
    const start = offset + nr * (1 + row);
    for (let panel = 0; panel < full; panel++) {
      const column = panel * nr;
      const from = source + column;
      const to = start + panel * panelFloats;
      if (nr === 8) {
        // Written out: V8 leaves the 8-lane loop rolled, and this copy is the bulk of packing (1.5× faster).
        out[to] = filter[from]! * factor[column]!;
        out[to + 1] = filter[from + 1]! * factor[column + 1]!;
        out[to + 2] = filter[from + 2]! * factor[column + 2]!;
        out[to + 3] = filter[from + 3]! * factor[column + 3]!;
        out[to + 4] = filter[from + 4]! * factor[column + 4]!;
        out[to + 5] = filter[from + 5]! * factor[column + 5]!;
        out[to + 6] = filter[from + 6]! * factor[column + 6]!;
        out[to + 7] = filter[from + 7]! * factor[column + 7]!;
      } else {
        for (let j = 0; j < nr; j++) out[to + j] = filter[from + j]! * factor[column + j]!;
      }
    }
    // A ragged last panel: channels past outChannels are zero.
    const to = start + full * panelFloats;
    if (full < panels) {
      for (let j = 0; j < GEMM_NR; j++) {
        const channel = full * GEMM_NR + j;
        out[to + j] = channel < outChannels ? filter[source + channel]! * factor[channel]! : 0;
      }
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
