// int8 pointwise GEMM on `i32x4.relaxed_dot_i8x16_i7x16_add_s` (relaxed-SIMD build only), 4 rows ×
// 8 output channels, TensorFlow Lite's requantization fused into the store as in int8-gemm.ts.
// The instruction sums four int8 × int8 products into each int32 lane, exactly only while its
// second operand lies in [0, 127] (pmaddubsw saturates beyond; src/relaxed-dot-probe.ts checks
// that an engine is exact even there before this kernel may run). Neither operand is 7-bit here
// (inputs use all of int8, weights [-127, 127]), so each weight w is split into its positive
// and negative parts wp = max(w, 0), wn = max(−w, 0), both in [0, 127]:
//   Σ x·w = Σ x·wp − Σ x·wn = Σ x·wp + Σ (~x)·wn + Σ wn      (−x = ~x + 1, and ~x never overflows int8)
// so each step is two dots into the same accumulator, x against wp and ~x against wn, and the
// per-channel constant Σ wn is folded into the bias at pack time. Each pairwise int16 sum the
// non-VNNI lowering forms stays within ±2·128·127 = ±32512: no saturation, the result is exact.
// The rows are read in place: one v128.load32_splat gives four input channels of a row.
// Packed weights (src/pack/pack-int8-gemm-relaxed-dot.ts), per panel of 8 output channels:
// [8 int32 bias − inputZeroPoint·Σw + Σwn][requantization of 8 channels, 192 bytes]
// [inChannels/4 rounded up][64 bytes: wp of channels 0–3, wp of 4–7, wn of 0–3, wn of 4–7, each channel's 4 inputs in a row].
// Legend: mr rows in this tile, k4 inChannels rounded up to 4, nc output channels in this panel.
import * as J from './job';
import { boundVector, clampVector, panelsPerBlock, QMR, storeRow, zeroPointVector } from './int8-gemm';

const PANEL_HEADER: usize = 32 + 8 * 24;

@inline function rdot(x: v128, w: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i32x4.relaxed_dot_i8x16_i7x16_add_s(x, w, acc);
  // The plain-SIMD build never dispatches this kernel (its variant is relaxed-only).
  unreachable();
  return acc;
}

@inline export function int8RelaxedDotPanelBytes(kc: i32): usize {
  return PANEL_HEADER + <usize>((kc + 3) & ~3) * 16;
}

// One tile: rows at a0..a3 × one weight panel, requantized into c.
@inline function rtile(mr: i32, a0: usize, a1: usize, a2: usize, a3: usize, k4: i32, w: usize, c: usize, cStride: usize, nc: i32, zeroPoint: v128, low: v128, high: v128, min8: v128, max8: v128): void {
  let acc00 = v128.load(w);
  let acc01 = v128.load(w, 16);
  let acc10 = acc00;
  let acc11 = acc01;
  let acc20 = acc00;
  let acc21 = acc01;
  let acc30 = acc00;
  let acc31 = acc01;
  let wp = w + PANEL_HEADER;
  // Four input channels per step; unrolled further, TurboFan hoists the loads and spills (int8-gemm.ts).
  for (let k = 0; k < k4; k += 4) {
    const p0 = v128.load(wp);
    const p1 = v128.load(wp, 16);
    const n0 = v128.load(wp, 32);
    const n1 = v128.load(wp, 48);
    let x = v128.load32_splat(a0);
    let nx = v128.not(x);
    acc00 = rdot(nx, n0, rdot(x, p0, acc00));
    acc01 = rdot(nx, n1, rdot(x, p1, acc01));
    x = v128.load32_splat(a1);
    nx = v128.not(x);
    acc10 = rdot(nx, n0, rdot(x, p0, acc10));
    acc11 = rdot(nx, n1, rdot(x, p1, acc11));
    x = v128.load32_splat(a2);
    nx = v128.not(x);
    acc20 = rdot(nx, n0, rdot(x, p0, acc20));
    acc21 = rdot(nx, n1, rdot(x, p1, acc21));
    x = v128.load32_splat(a3);
    nx = v128.not(x);
    acc30 = rdot(nx, n0, rdot(x, p0, acc30));
    acc31 = rdot(nx, n1, rdot(x, p1, acc31));
    a0 += 4;
    a1 += 4;
    a2 += 4;
    a3 += 4;
    wp += 64;
  }
  const params = w + 32;
  storeRow(c, acc00, acc01, params, nc, zeroPoint, low, high, min8, max8);
  if (mr > 1) storeRow(c + cStride, acc10, acc11, params, nc, zeroPoint, low, high, min8, max8);
  if (mr > 2) storeRow(c + 2 * cStride, acc20, acc21, params, nc, zeroPoint, low, high, min8, max8);
  if (mr > 3) storeRow(c + 3 * cStride, acc30, acc31, params, nc, zeroPoint, low, high, min8, max8);
}

// int8 pointwise convolution: output pixels [start, end) of the batch.
export function int8GemmRelaxedDot(job: usize, start: i32, end: i32): void {
  const kc = J.geti(job, J.IN_CHANNELS);
  const a = J.getp(job, J.X);
  const w = J.getp(job, J.W);
  const n = J.geti(job, J.OUT_CHANNELS);
  const c = J.getp(job, J.Y);
  const zeroPoint = zeroPointVector(job, J.OUTPUT_ZERO_POINT);
  const low = boundVector(job, J.OUTPUT_ZERO_POINT, J.ACTIVATION_MIN);
  const high = boundVector(job, J.OUTPUT_ZERO_POINT, J.ACTIVATION_MAX);
  const min8 = clampVector(job, J.ACTIVATION_MIN);
  const max8 = clampVector(job, J.ACTIVATION_MAX);
  const panels = (n + 7) >> 3;
  const bytes = int8RelaxedDotPanelBytes(kc);
  const block = panelsPerBlock(bytes);
  const k4 = (kc + 3) & ~3;
  const aStride = <usize>kc;
  const cStride = <usize>n;
  for (let p0 = 0; p0 < panels; p0 += block) {
    const p1 = min(panels, p0 + block);
    for (let m0 = start; m0 < end; m0 += QMR) {
      const mr = min(QMR, end - m0);
      // Rows past the end repeat the last row: their loads stay valid and are never stored.
      const a0 = a + <usize>m0 * aStride;
      const a1 = a + <usize>(m0 + min(1, mr - 1)) * aStride;
      const a2 = a + <usize>(m0 + min(2, mr - 1)) * aStride;
      const a3 = a + <usize>(m0 + min(3, mr - 1)) * aStride;
      const cRow = c + <usize>m0 * cStride;
      for (let p = p0; p < p1; p++) {
        rtile(mr, a0, a1, a2, a3, k4, w + <usize>p * bytes, cRow + (<usize>p << 3), cStride, n - (p << 3), zeroPoint, low, high, min8, max8);
      }
    }
  }
}
