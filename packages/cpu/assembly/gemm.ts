// Register-blocked GEMM micro-kernel, 4 rows × 8 output channels (eight f32x4 accumulators,
// two weight vectors and one broadcast input), over packed weights, with bias, clamp and the
// epilogue (hard-swish, hard-sigmoid) fused into the store. Each input is broadcast by v128.load32_splat, which on x64 is a load port's
// work alone (vbroadcastss from memory). V8 allocates 15 vector registers on x64: the former
// 6 × 8 tile (twelve accumulators, inputs read four at a time and broadcast by shuffles) had
// TurboFan hoist its eight weight loads and spill accumulators in every k step, and ran 15–25%
// slower on every MobileNetV1 pointwise shape (1 thread, relaxed SIMD, interleaved in one
// process: e.g. 28×28 256→256 2.05 against 2.41 ms, 14×14 512→512 2.05 against 2.42 ms).
// XNNPACK picks 4×8 broadcast kernels for WebAssembly SIMD on x86 for the same reason.
// Packed weights (src/pack/pack-gemm.ts): per panel of 8 output channels,
// [8 bias][taps][inChannels][8 weights]; the tail panel is zero-padded.
// Rows come through an indirection list (ind[t * MR + r] = address of row r's input pixel for
// tap t), so one kernel serves pointwise (one tap, rows in place) and standard convolution
// (kernelHeight·kernelWidth taps, padding taps pointing at a zero buffer), as XNNPACK's igemm.
// Hard-swish and hard-sigmoid are applied to the accumulators before the store, as
// gemm-narrow.ts does, in loops specialised per epilogue (gemmRows, igemm): a second pass over
// each stored tile with the same arithmetic (activation.ts's epilogue, so the results are bit
// for bit the same) cost about a quarter of V3's hard-swish expansions.
// Legend: mr rows in this tile, ks taps, kc input channels, nc output channels in this panel.
import { epilogue } from './activation';
import * as J from './job';
import { madd, storeLanes } from './simd';

// The micro-kernel's rows, from the shared table (src/ splits work in multiples of it).
export const MR = J.GEMM_MR;
// Weights a block of panels may occupy so that it stays in L2 while a row tile sweeps it
// (measured on a Zen 5 with 1 MiB L2: 256 KiB blocks beat whole-matrix sweeps for 512→512).
const PANEL_BLOCK_BYTES: usize = 256 * 1024;

// Rows [0, mr) of a tile times one packed panel `w`, clamped and through the epilogue `mode`
// (J.EPILOGUE_*, a constant where inlined) into `c` (row stride cStride, nc channels left in
// the panel); `ind` holds MR row addresses per tap. With `dr` ≠ 0 the residual
// at c + dr (laid out as `c`) is added to the accumulators before the clamp: in the same store,
// no second pass over the tile (its loads may read past the panel's nc channels: allocations
// keep 64 bytes of slack, src/heap.ts). direct-conv.ts shares it (without a residual).
@inline export function tile(mr: i32, ind: usize, ks: i32, kc: i32, w: usize, c: usize, cStride: usize, nc: i32, low: v128, high: v128, dr: usize, mode: i32): void {
  if (mr == 1) {
    rowTile(ind, ks, kc, w, c, nc, low, high, dr, mode);
    return;
  }
  let acc00 = v128.load(w);
  let acc01 = v128.load(w, 16);
  let acc10 = acc00;
  let acc11 = acc01;
  let acc20 = acc00;
  let acc21 = acc01;
  let acc30 = acc00;
  let acc31 = acc01;
  let wp = w + 32;
  for (let t = 0; t < ks; t++) {
    const list = ind + (<usize>(t * MR) << 2);
    let a0 = <usize>load<u32>(list);
    let a1 = <usize>load<u32>(list, 4);
    let a2 = <usize>load<u32>(list, 8);
    let a3 = <usize>load<u32>(list, 12);
    // One input channel per step: unrolled further, TurboFan hoists the extra loads and spills.
    for (let k = 0; k < kc; k++) {
      const b0 = v128.load(wp);
      const b1 = v128.load(wp, 16);
      let va = v128.load32_splat(a0);
      acc00 = madd(va, b0, acc00);
      acc01 = madd(va, b1, acc01);
      va = v128.load32_splat(a1);
      acc10 = madd(va, b0, acc10);
      acc11 = madd(va, b1, acc11);
      va = v128.load32_splat(a2);
      acc20 = madd(va, b0, acc20);
      acc21 = madd(va, b1, acc21);
      va = v128.load32_splat(a3);
      acc30 = madd(va, b0, acc30);
      acc31 = madd(va, b1, acc31);
      a0 += 4;
      a1 += 4;
      a2 += 4;
      a3 += 4;
      wp += 32;
    }
  }
  if (dr != 0) {
    acc00 = f32x4.add(acc00, v128.load(c + dr));
    acc01 = f32x4.add(acc01, v128.load(c + dr, 16));
    if (mr > 1) {
      acc10 = f32x4.add(acc10, v128.load(c + cStride + dr));
      acc11 = f32x4.add(acc11, v128.load(c + cStride + dr, 16));
    }
    if (mr > 2) {
      acc20 = f32x4.add(acc20, v128.load(c + 2 * cStride + dr));
      acc21 = f32x4.add(acc21, v128.load(c + 2 * cStride + dr, 16));
    }
    if (mr > 3) {
      acc30 = f32x4.add(acc30, v128.load(c + 3 * cStride + dr));
      acc31 = f32x4.add(acc31, v128.load(c + 3 * cStride + dr, 16));
    }
  }
  if (nc >= 8) {
    v128.store(c, epilogue(acc00, low, high, mode));
    v128.store(c, epilogue(acc01, low, high, mode), 16);
    if (mr > 1) {
      v128.store(c + cStride, epilogue(acc10, low, high, mode));
      v128.store(c + cStride, epilogue(acc11, low, high, mode), 16);
    }
    if (mr > 2) {
      v128.store(c + 2 * cStride, epilogue(acc20, low, high, mode));
      v128.store(c + 2 * cStride, epilogue(acc21, low, high, mode), 16);
    }
    if (mr > 3) {
      v128.store(c + 3 * cStride, epilogue(acc30, low, high, mode));
      v128.store(c + 3 * cStride, epilogue(acc31, low, high, mode), 16);
    }
  } else {
    storeTail(c, epilogue(acc00, low, high, mode), epilogue(acc01, low, high, mode), nc);
    if (mr > 1) storeTail(c + cStride, epilogue(acc10, low, high, mode), epilogue(acc11, low, high, mode), nc);
    if (mr > 2) storeTail(c + 2 * cStride, epilogue(acc20, low, high, mode), epilogue(acc21, low, high, mode), nc);
    if (mr > 3) storeTail(c + 3 * cStride, epilogue(acc30, low, high, mode), epilogue(acc31, low, high, mode), nc);
  }
}

// One row times one packed panel: a remainder tile (7×7 = 49 pixels is 12 tiles and one
// row). The 4-row tile spends a whole tile's multiply-adds on it; this one does a quarter,
// with four input channels per step over eight accumulators so that the multiply-adds of one
// step do not wait on the previous step's (two accumulators would leave the FMA units a
// latency-bound quarter busy). Not inlined: it runs once per panel per remainder (`mode` is
// tested per vector stored here, two vectors).
function rowTile(ind: usize, ks: i32, kc: i32, w: usize, c: usize, nc: i32, low: v128, high: v128, dr: usize, mode: i32): void {
  const zero = f32x4.splat(0);
  let acc0 = v128.load(w);
  let acc1 = v128.load(w, 16);
  let acc2 = zero;
  let acc3 = zero;
  let acc4 = zero;
  let acc5 = zero;
  let acc6 = zero;
  let acc7 = zero;
  let wp = w + 32;
  for (let t = 0; t < ks; t++) {
    let a = <usize>load<u32>(ind + (<usize>(t * MR) << 2));
    let k = 0;
    for (; k + 4 <= kc; k += 4) {
      let va = v128.load32_splat(a);
      acc0 = madd(va, v128.load(wp), acc0);
      acc1 = madd(va, v128.load(wp, 16), acc1);
      va = v128.load32_splat(a, 4);
      acc2 = madd(va, v128.load(wp, 32), acc2);
      acc3 = madd(va, v128.load(wp, 48), acc3);
      va = v128.load32_splat(a, 8);
      acc4 = madd(va, v128.load(wp, 64), acc4);
      acc5 = madd(va, v128.load(wp, 80), acc5);
      va = v128.load32_splat(a, 12);
      acc6 = madd(va, v128.load(wp, 96), acc6);
      acc7 = madd(va, v128.load(wp, 112), acc7);
      a += 16;
      wp += 128;
    }
    for (; k < kc; k++) {
      const va = v128.load32_splat(a);
      acc0 = madd(va, v128.load(wp), acc0);
      acc1 = madd(va, v128.load(wp, 16), acc1);
      a += 4;
      wp += 32;
    }
  }
  acc0 = f32x4.add(f32x4.add(acc0, acc2), f32x4.add(acc4, acc6));
  acc1 = f32x4.add(f32x4.add(acc1, acc3), f32x4.add(acc5, acc7));
  if (dr != 0) {
    acc0 = f32x4.add(acc0, v128.load(c + dr));
    acc1 = f32x4.add(acc1, v128.load(c + dr, 16));
  }
  storeTail(c, epilogue(acc0, low, high, mode), epilogue(acc1, low, high, mode), nc);
}

export function storeTail(c: usize, v0: v128, v1: v128, nc: i32): void {
  storeLanes(c, v0, nc);
  if (nc > 4) storeLanes(c + 16, v1, nc - 4);
}

@inline export function panelBytes(ks: i32, kc: i32): usize {
  return (8 + <usize>ks * <usize>kc * 8) << 2;
}

@inline export function panelsPerBlock(bytes: usize): i32 {
  const fit = <i32>(PANEL_BLOCK_BYTES / bytes);
  return fit > 0 ? fit : 1;
}

// gemmRows (below) with its epilogue `mode` (J.EPILOGUE_*) a constant where inlined.
@inline function gemmRowsWith(
  a: usize,
  aStride: usize,
  start: i32,
  end: i32,
  kc: i32,
  w: usize,
  n: i32,
  c: usize,
  clampLow: f32,
  clampHigh: f32,
  ind: usize,
  panelStart: i32,
  panelEnd: i32,
  r: usize,
  mode: i32,
): void {
  const low = f32x4.splat(clampLow);
  const high = f32x4.splat(clampHigh);
  // The residual as its distance from the output (wrapping arithmetic: c + dr is r's element).
  const dr: usize = r != 0 ? r - c : 0;
  const panels = min((n + 7) >> 3, panelEnd);
  const bytes = panelBytes(1, kc);
  const block = panelsPerBlock(bytes);
  const cStride = <usize>n << 2;
  for (let p0 = panelStart; p0 < panels; p0 += block) {
    const p1 = min(panels, p0 + block);
    for (let m0 = start; m0 < end; m0 += MR) {
      const mr = min(MR, end - m0);
      // Rows past the end repeat the last row: their loads stay valid and are never stored.
      for (let r = 0; r < MR; r++) {
        store<u32>(ind + (<usize>r << 2), <u32>(a + <usize>(m0 + min(r, mr - 1)) * aStride));
      }
      const cRow = c + <usize>m0 * cStride;
      for (let p = p0; p < p1; p++) {
        tile(mr, ind, 1, kc, w + <usize>p * bytes, cRow + (<usize>p << 5), cStride, n - (p << 3), low, high, dr, mode);
      }
    }
  }
}

// One function per epilogue, so that each inlined copy of the tile has its mode as a constant
// (as gemm-narrow.ts's rowsClamp…: one function holding the three copies tested the mode for
// every vector stored; a call per row tile instead cost the clamp path up to ~5%).
function gemmRowsClamp(a: usize, aStride: usize, start: i32, end: i32, kc: i32, w: usize, n: i32, c: usize, clampLow: f32, clampHigh: f32, ind: usize, panelStart: i32, panelEnd: i32, r: usize): void {
  gemmRowsWith(a, aStride, start, end, kc, w, n, c, clampLow, clampHigh, ind, panelStart, panelEnd, r, J.EPILOGUE_CLAMP);
}

function gemmRowsHardSwish(a: usize, aStride: usize, start: i32, end: i32, kc: i32, w: usize, n: i32, c: usize, clampLow: f32, clampHigh: f32, ind: usize, panelStart: i32, panelEnd: i32, r: usize): void {
  gemmRowsWith(a, aStride, start, end, kc, w, n, c, clampLow, clampHigh, ind, panelStart, panelEnd, r, J.EPILOGUE_HARD_SWISH);
}

function gemmRowsHardSigmoid(a: usize, aStride: usize, start: i32, end: i32, kc: i32, w: usize, n: i32, c: usize, clampLow: f32, clampHigh: f32, ind: usize, panelStart: i32, panelEnd: i32, r: usize): void {
  gemmRowsWith(a, aStride, start, end, kc, w, n, c, clampLow, clampHigh, ind, panelStart, panelEnd, r, J.EPILOGUE_HARD_SIGMOID);
}

// Rows [start, end) of a matrix product whose input rows lie at a + m·aStride:
// c[m, 0..n) = epilogue(clamp(bias + a[m, 0..kc) · w + r[m, 0..n))), over panels [panelStart, panelEnd)
// (channels 8·panelStart up to 8·panelEnd or n). `ind` is MR words of the caller's scratch;
// `epilogue` (J.EPILOGUE_*) is applied to each tile before its store. `r` (laid out as `c`;
// 0: none) is the residual, added to the accumulators before the clamp (see tile).
export function gemmRows(a: usize, aStride: usize, start: i32, end: i32, kc: i32, w: usize, n: i32, c: usize, clampLow: f32, clampHigh: f32, ind: usize, epilogue: i32, panelStart: i32 = 0, panelEnd: i32 = i32.MAX_VALUE, r: usize = 0): void {
  if (epilogue == J.EPILOGUE_HARD_SWISH) gemmRowsHardSwish(a, aStride, start, end, kc, w, n, c, clampLow, clampHigh, ind, panelStart, panelEnd, r);
  else if (epilogue == J.EPILOGUE_HARD_SIGMOID) gemmRowsHardSigmoid(a, aStride, start, end, kc, w, n, c, clampLow, clampHigh, ind, panelStart, panelEnd, r);
  else gemmRowsClamp(a, aStride, start, end, kc, w, n, c, clampLow, clampHigh, ind, panelStart, panelEnd, r);
}

// Pointwise convolution, a [pixels, inChannels] × [inChannels, outChannels] product: output
// pixels [start, end) of the batch, or with SPLIT_COLUMNS set every pixel over output-channel
// panels [start, end) (threads then share the weights rather than each reading all of them).
export function gemm(job: usize, start: i32, end: i32, scratch: usize): void {
  const kc = J.geti(job, J.IN_CHANNELS);
  const columns = J.geti(job, J.SPLIT_COLUMNS) != 0;
  const pixels = J.geti(job, J.BATCH) * J.geti(job, J.OUT_HEIGHT) * J.geti(job, J.OUT_WIDTH);
  gemmRows(
    J.getp(job, J.X),
    <usize>kc << 2,
    columns ? 0 : start,
    columns ? pixels : end,
    kc,
    J.getp(job, J.W),
    J.geti(job, J.OUT_CHANNELS),
    J.getp(job, J.Y),
    J.getf(job, J.CLAMP_LOW),
    J.getf(job, J.CLAMP_HIGH),
    scratch,
    J.geti(job, J.EPILOGUE),
    columns ? start : 0,
    columns ? end : i32.MAX_VALUE,
    J.getp(job, J.RESIDUAL),
  );
}

// Standard convolution as an indirect GEMM over output pixels [start, end) of the batch.
// `scratch` holds MR·taps words of indirection for the current row tile; `mode` (J.EPILOGUE_*,
// a constant where inlined) is applied to each tile before its store.
@inline function igemmWith(job: usize, start: i32, end: i32, scratch: usize, mode: i32): void {
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
  const r = J.getp(job, J.RESIDUAL);
  const dr: usize = r != 0 ? r - y : 0;
  const low = f32x4.splat(J.getf(job, J.CLAMP_LOW));
  const high = f32x4.splat(J.getf(job, J.CLAMP_HIGH));
  const ks = kernelHeight * kernelWidth;
  const pixelBytes = <usize>kc << 2;
  const imagePixels = outHeight * outWidth;
  const panels = (n + 7) >> 3;
  const bytes = panelBytes(ks, kc);
  const block = panelsPerBlock(bytes);
  const cStride = <usize>n << 2;
  for (let p0 = 0; p0 < panels; p0 += block) {
    const p1 = min(panels, p0 + block);
    for (let m0 = start; m0 < end; m0 += MR) {
      const mr = min(MR, end - m0);
      for (let r = 0; r < MR; r++) {
        const m = m0 + min(r, mr - 1);
        const b = m / imagePixels;
        const rest = m - b * imagePixels;
        const oy = rest / outWidth;
        const ox = rest - oy * outWidth;
        const image = x + <usize>b * <usize>inHeight * <usize>inWidth * pixelBytes;
        for (let ky = 0; ky < kernelHeight; ky++) {
          const iy = oy * strideHeight - padTop + ky * dilationHeight;
          for (let kx = 0; kx < kernelWidth; kx++) {
            const ix = ox * strideWidth - padLeft + kx * dilationWidth;
            const inside = iy >= 0 && iy < inHeight && ix >= 0 && ix < inWidth;
            const address = inside ? image + <usize>(iy * inWidth + ix) * pixelBytes : zero;
            store<u32>(scratch + (<usize>((ky * kernelWidth + kx) * MR + r) << 2), <u32>address);
          }
        }
      }
      const cRow = y + <usize>m0 * cStride;
      for (let p = p0; p < p1; p++) {
        tile(mr, scratch, ks, kc, w + <usize>p * bytes, cRow + (<usize>p << 5), cStride, n - (p << 3), low, high, dr, mode);
      }
    }
  }
}

function igemmClamp(job: usize, start: i32, end: i32, scratch: usize): void {
  igemmWith(job, start, end, scratch, J.EPILOGUE_CLAMP);
}

function igemmHardSwish(job: usize, start: i32, end: i32, scratch: usize): void {
  igemmWith(job, start, end, scratch, J.EPILOGUE_HARD_SWISH);
}

function igemmHardSigmoid(job: usize, start: i32, end: i32, scratch: usize): void {
  igemmWith(job, start, end, scratch, J.EPILOGUE_HARD_SIGMOID);
}

// Standard convolution as an indirect GEMM over output pixels [start, end) of the batch, its
// loops specialised per epilogue (see gemmRows).
export function igemm(job: usize, start: i32, end: i32, scratch: usize): void {
  const mode = J.geti(job, J.EPILOGUE);
  if (mode == J.EPILOGUE_HARD_SWISH) igemmHardSwish(job, start, end, scratch);
  else if (mode == J.EPILOGUE_HARD_SIGMOID) igemmHardSigmoid(job, start, end, scratch);
  else igemmClamp(job, start, end, scratch);
}
