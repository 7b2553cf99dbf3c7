// int8 GEMM micro-kernel, 4 rows × 8 output channels, for pointwise and (through an
// indirection list, as assembly/gemm.ts) standard convolution, with TensorFlow Lite's
// requantization fused into the store.
// Both operands reach the inner loop already int16 and paired, so each pair of input channels
// costs only what `i32x4.dot_i16x8_s` needs: per row one v128.load32_splat of the row's pair
// (a broadcast load, no shuffle port on x64), two dots against a 32-byte weight vector holding
// that pair for eight output channels, two adds — 8 pmaddwd (64 multiply-adds) per pair step,
// where f32x4 FMA does 4 per instruction (pmaddwd issues 2 a cycle on Zen, as FMA does). The weights are widened at pack time; a tile's
// activations are widened once per tile and panel block into a panel in the thread's scratch
// (`widenTile`), which every panel of the block then reads. The accumulators are exact int32
// (two int8 products never overflow int16·int16 → int32 pairs). 8 accumulators + 2 weight
// vectors + 1 broadcast fit the 16 xmm registers V8 allocates from.
// The relaxed-SIMD build keeps this form too: assembly/int8-gemm-relaxed-dot.ts is the
// `i32x4.relaxed_dot_i8x16_i7x16_add_s` alternative, run only where a probe finds it exact.
// Packed weights (src/pack/pack-int8-gemm.ts), per panel of 8 output channels:
// [8 int32 bias][requantization of 8 channels, 192 bytes][taps][inChannels/2 rounded up to 4 pairs][32 bytes]
// where each 32 bytes hold one input-channel pair as int16 for channels 0–3 then 4–7. The bias
// already holds −inputZeroPoint·Σw, so rows are read as stored, and padding taps point at a
// buffer of the input zero point, which that term cancels.
// Activation panel (widenTile), per tile: [taps][k8/2 pairs][4 rows][2 int16] (16 bytes a pair).
// Legend: mr rows in this tile, ks taps, kc input channels, k8 kc rounded up to 8, nc output channels in this panel.
import * as J from './job';
import { requantize4, storeClampedInt8x8 } from './int8-requantize';

export const QMR = J.INT_8_GEMM_MR;
const REQUANT_BYTES: usize = 8 * 24;
const PANEL_HEADER: usize = 32 + REQUANT_BYTES;
// As assembly/gemm.ts: a block of panels that stays in L2 while a row tile sweeps it.
const PANEL_BLOCK_BYTES: usize = 256 * 1024;

@inline function dot(va: v128, b: v128, acc: v128): v128 {
  return i32x4.add(acc, i32x4.dot_i16x8_s(va, b));
}

// Widens the tile's rows — `list` holds QMR row addresses per tap — into the activation panel at
// `panel`: for each 8 channels, the four rows' int16 pairs transposed so that pair p of rows 0–3
// lies in one 16-byte step. Reads 8 bytes at a time, up to k8 (the padded weights are 0 past kc).
function widenTile(list: usize, ks: i32, k8: i32, panel: usize): void {
  let dst = panel;
  for (let t = 0; t < ks; t++) {
    const rows = list + (<usize>(t * QMR) << 2);
    let a0 = <usize>load<u32>(rows);
    let a1 = <usize>load<u32>(rows, 4);
    let a2 = <usize>load<u32>(rows, 8);
    let a3 = <usize>load<u32>(rows, 12);
    for (let k = 0; k < k8; k += 8) {
      // Each x holds one row's four pairs; a 4×4 transpose of int32 lanes gives each pair's four rows.
      const x0 = v128.load8x8_s(a0);
      const x1 = v128.load8x8_s(a1);
      const x2 = v128.load8x8_s(a2);
      const x3 = v128.load8x8_s(a3);
      const t0 = v128.shuffle<i32>(x0, x1, 0, 4, 1, 5);
      const t1 = v128.shuffle<i32>(x2, x3, 0, 4, 1, 5);
      const t2 = v128.shuffle<i32>(x0, x1, 2, 6, 3, 7);
      const t3 = v128.shuffle<i32>(x2, x3, 2, 6, 3, 7);
      v128.store(dst, v128.shuffle<i32>(t0, t1, 0, 1, 4, 5));
      v128.store(dst, v128.shuffle<i32>(t0, t1, 2, 3, 6, 7), 16);
      v128.store(dst, v128.shuffle<i32>(t2, t3, 0, 1, 4, 5), 32);
      v128.store(dst, v128.shuffle<i32>(t2, t3, 2, 3, 6, 7), 48);
      a0 += 8;
      a1 += 8;
      a2 += 8;
      a3 += 8;
      dst += 64;
    }
  }
}

// One tile: mr (≤ 4) rows of the widened activation panel × one 8-channel weight panel, requantized into c.
@inline function qtile(mr: i32, panel: usize, pairs: i32, w: usize, c: usize, cStride: usize, nc: i32, zeroPoint: v128, low: v128, high: v128, min8: v128, max8: v128): void {
  let acc00 = v128.load(w);
  let acc01 = v128.load(w, 16);
  let acc10 = acc00;
  let acc11 = acc01;
  let acc20 = acc00;
  let acc21 = acc01;
  let acc30 = acc00;
  let acc31 = acc01;
  let wp = w + PANEL_HEADER;
  const end = wp + (<usize>pairs << 5);
  let ap = panel;
  // One input-channel pair per step, over every tap. Unrolled further, TurboFan hoists the loads
  // and spills accumulators (half the speed, as assembly/gemm.ts found for the float kernel);
  // the four rows at constant offsets of one pointer and an end pointer for the weights leave
  // two scalar adds a step (4–5% faster than four row pointers and a counter, kernel alone).
  for (; wp < end; wp += 32) {
    const b0 = v128.load(wp);
    const b1 = v128.load(wp, 16);
    let va = v128.load32_splat(ap);
    acc00 = dot(va, b0, acc00);
    acc01 = dot(va, b1, acc01);
    va = v128.load32_splat(ap, 4);
    acc10 = dot(va, b0, acc10);
    acc11 = dot(va, b1, acc11);
    va = v128.load32_splat(ap, 8);
    acc20 = dot(va, b0, acc20);
    acc21 = dot(va, b1, acc21);
    va = v128.load32_splat(ap, 12);
    acc30 = dot(va, b0, acc30);
    acc31 = dot(va, b1, acc31);
    ap += 16;
  }
  const params = w + 32;
  storeRow(c, acc00, acc01, params, nc, zeroPoint, low, high, min8, max8);
  if (mr > 1) storeRow(c + cStride, acc10, acc11, params, nc, zeroPoint, low, high, min8, max8);
  if (mr > 2) storeRow(c + 2 * cStride, acc20, acc21, params, nc, zeroPoint, low, high, min8, max8);
  if (mr > 3) storeRow(c + 3 * cStride, acc30, acc31, params, nc, zeroPoint, low, high, min8, max8);
}

@inline export function storeRow(c: usize, acc0: v128, acc1: v128, params: usize, nc: i32, zeroPoint: v128, low: v128, high: v128, min8: v128, max8: v128): void {
  const a = requantize4(acc0, params, 8, 0, zeroPoint, low, high);
  storeClampedInt8x8(c, a, requantize4(acc1, params, 8, 4, zeroPoint, low, high), nc, min8, max8);
}

@inline function roundUp8(kc: i32): i32 {
  return (kc + 7) & ~7;
}

// Whether a convolution with `kc` input channels packs its taps densely: below the 8-deep step
// each tap would be padded to 8 channels (a 3-channel stem: 72 multiply-adds a row for 27),
// so the taps' channels run on as one reduction of ks·kc, padded to 8 once
// (src/pack/pack-int8-gemm.ts packs the weights the same way).
@inline export function isTapDense(kc: i32): bool {
  return kc < J.INT_8_GEMM_KR;
}

@inline export function int8PanelBytes(ks: i32, kc: i32): usize {
  if (isTapDense(kc)) return PANEL_HEADER + <usize>roundUp8(ks * kc) * 16;
  return PANEL_HEADER + <usize>ks * <usize>roundUp8(kc) * 16;
}

@inline export function panelsPerBlock(bytes: usize): i32 {
  const fit = <i32>(PANEL_BLOCK_BYTES / bytes);
  return fit > 0 ? fit : 1;
}

// The epilogue's vectors from the job: the output zero point at `zeroPointSlot`, and the clamp
// bounds at `boundSlot` (activation min or max) made relative to it.
@inline export function zeroPointVector(job: usize, zeroPointSlot: i32): v128 {
  return i32x4.splat(J.geti(job, zeroPointSlot));
}

@inline export function boundVector(job: usize, zeroPointSlot: i32, boundSlot: i32): v128 {
  return i32x4.splat(J.geti(job, boundSlot) - J.geti(job, zeroPointSlot));
}

// The activation bound at `boundSlot` as an i8x16 splat, for storeClampedInt8x8/x16.
@inline export function clampVector(job: usize, boundSlot: i32): v128 {
  return i8x16.splat(<i8>J.geti(job, boundSlot));
}

// Rows [start, end) of an int8 matrix product whose input rows lie at a + m·aStride:
// c[m, 0..n) = requantize(bias + a[m, 0..kc) · w). `ind` is QMR words of the caller's scratch,
// `panel` QMR·k8 int16 of it.
export function int8GemmRows(
  a: usize,
  aStride: usize,
  start: i32,
  end: i32,
  kc: i32,
  w: usize,
  n: i32,
  c: usize,
  zeroPoint: v128,
  low: v128,
  high: v128,
  min8: v128,
  max8: v128,
  ind: usize,
  panel: usize,
): void {
  const panels = (n + 7) >> 3;
  const bytes = int8PanelBytes(1, kc);
  const block = panelsPerBlock(bytes);
  const k8 = roundUp8(kc);
  const pairs = k8 >> 1;
  const cStride = <usize>n;
  for (let p0 = 0; p0 < panels; p0 += block) {
    const p1 = min(panels, p0 + block);
    for (let m0 = start; m0 < end; m0 += QMR) {
      const mr = min(QMR, end - m0);
      // Rows past the end repeat the last row: their loads stay valid and are never stored.
      for (let r = 0; r < QMR; r++) {
        store<u32>(ind + (<usize>r << 2), <u32>(a + <usize>(m0 + min(r, mr - 1)) * aStride));
      }
      widenTile(ind, 1, k8, panel);
      const cRow = c + <usize>m0 * cStride;
      for (let p = p0; p < p1; p++) {
        qtile(mr, panel, pairs, w + <usize>p * bytes, cRow + (<usize>p << 3), cStride, n - (p << 3), zeroPoint, low, high, min8, max8);
      }
    }
  }
}

// Where a GEMM kernel's activation panel starts in its scratch, after QMR row addresses per tap
// (src/kernels/launch-int8-conv.ts sizes the scratch to match).
@inline export function int8PanelScratchOffset(ks: i32): usize {
  return (<usize>(QMR * ks) * 4 + 63) & ~63;
}

// int8 pointwise convolution: output pixels [start, end) of the batch.
export function int8Gemm(job: usize, start: i32, end: i32, scratch: usize): void {
  const kc = J.geti(job, J.IN_CHANNELS);
  int8GemmRows(
    J.getp(job, J.X),
    <usize>kc,
    start,
    end,
    kc,
    J.getp(job, J.W),
    J.geti(job, J.OUT_CHANNELS),
    J.getp(job, J.Y),
    zeroPointVector(job, J.OUTPUT_ZERO_POINT),
    boundVector(job, J.OUTPUT_ZERO_POINT, J.ACTIVATION_MIN),
    boundVector(job, J.OUTPUT_ZERO_POINT, J.ACTIVATION_MAX),
    clampVector(job, J.ACTIVATION_MIN),
    clampVector(job, J.ACTIVATION_MAX),
    scratch,
    scratch + int8PanelScratchOffset(1),
  );
}

// int8 standard convolution as an indirect GEMM over output pixels [start, end) of the batch;
// padding taps read the buffer at ZERO, which holds the input zero point.
export function int8Igemm(job: usize, start: i32, end: i32, scratch: usize): void {
  const x = J.getp(job, J.X);
  const w = J.getp(job, J.W);
  const y = J.getp(job, J.Y);
  const zero = J.getp(job, J.ZERO);
  const inHeight = J.geti(job, J.IN_HEIGHT);
  const inWidth = J.geti(job, J.IN_WIDTH);
  const kc = J.geti(job, J.IN_CHANNELS);
  const outHeight = J.geti(job, J.OUT_HEIGHT);
  const outWidth = J.geti(job, J.OUT_WIDTH);
  const n = J.geti(job, J.OUT_CHANNELS);
  const kernelHeight = J.geti(job, J.KERNEL_HEIGHT);
  const kernelWidth = J.geti(job, J.KERNEL_WIDTH);
  const strideHeight = J.geti(job, J.STRIDE_HEIGHT);
  const strideWidth = J.geti(job, J.STRIDE_WIDTH);
  const dilationHeight = J.geti(job, J.DILATION_HEIGHT);
  const dilationWidth = J.geti(job, J.DILATION_WIDTH);
  const padTop = J.geti(job, J.PAD_TOP);
  const padLeft = J.geti(job, J.PAD_LEFT);
  const zeroPoint = zeroPointVector(job, J.OUTPUT_ZERO_POINT);
  const low = boundVector(job, J.OUTPUT_ZERO_POINT, J.ACTIVATION_MIN);
  const high = boundVector(job, J.OUTPUT_ZERO_POINT, J.ACTIVATION_MAX);
  const min8 = clampVector(job, J.ACTIVATION_MIN);
  const max8 = clampVector(job, J.ACTIVATION_MAX);
  const ks = kernelHeight * kernelWidth;
  const pixelBytes = <usize>kc;
  const imagePixels = outHeight * outWidth;
  const panels = (n + 7) >> 3;
  const bytes = int8PanelBytes(ks, kc);
  const block = panelsPerBlock(bytes);
  const dense = isTapDense(kc) && ks > 1;
  const k8 = dense ? roundUp8(ks * kc) : roundUp8(kc);
  const widenTaps = dense ? 1 : ks;
  const pairs = (widenTaps * k8) >> 1;
  const panel = scratch + int8PanelScratchOffset(ks);
  // Dense taps: each of the tile's rows copies its ks taps of kc (< 8) bytes, one after another,
  // into a row buffer after the panel (src/kernels/launch-int8-conv.ts sizes the scratch to
  // match), and the tile's list points at those, so widenTile reads them as one tap of ks·kc
  // channels. Eight bytes a copy, each overwritten by the next from its kc-th: the bytes past
  // ks·kc (up to 7) hold input values, which the zero weights there cancel.
  const denseRows = panel + <usize>(QMR * k8) * 2;
  const denseRowBytes = <usize>(k8 + 8);
  const cStride = <usize>n;
  for (let p0 = 0; p0 < panels; p0 += block) {
    const p1 = min(panels, p0 + block);
    for (let m0 = start; m0 < end; m0 += QMR) {
      const mr = min(QMR, end - m0);
      // The tile's first pixel by division, the next ones by stepping (rows past the end repeat the last).
      let b = m0 / imagePixels;
      const rest = m0 - b * imagePixels;
      let oy = rest / outWidth;
      let ox = rest - oy * outWidth;
      for (let r = 0; r < QMR; r++) {
        if (r > 0 && r < mr && ++ox == outWidth) {
          ox = 0;
          if (++oy == outHeight) {
            oy = 0;
            b++;
          }
        }
        const image = x + <usize>b * <usize>inHeight * <usize>inWidth * pixelBytes;
        // Dense taps are copied into the row buffer at once (see `dense` above); others listed.
        let dst = denseRows + <usize>r * denseRowBytes;
        for (let ky = 0; ky < kernelHeight; ky++) {
          const iy = oy * strideHeight - padTop + ky * dilationHeight;
          for (let kx = 0; kx < kernelWidth; kx++) {
            const ix = ox * strideWidth - padLeft + kx * dilationWidth;
            const inside = iy >= 0 && iy < inHeight && ix >= 0 && ix < inWidth;
            const address = inside ? image + <usize>(iy * inWidth + ix) * pixelBytes : zero;
            if (dense) {
              store<u64>(dst, load<u64>(address));
              dst += pixelBytes;
            } else {
              store<u32>(scratch + (<usize>((ky * kernelWidth + kx) * QMR + r) << 2), <u32>address);
            }
          }
        }
        if (dense) store<u32>(scratch + (<usize>r << 2), <u32>(denseRows + <usize>r * denseRowBytes));
      }
      widenTile(scratch, widenTaps, k8, panel);
      const cRow = y + <usize>m0 * cStride;
      for (let p = p0; p < p1; p++) {
        qtile(mr, panel, pairs, w + <usize>p * bytes, cRow + (<usize>p << 3), cStride, n - (p << 3), zeroPoint, low, high, min8, max8);
      }
    }
  }
}
