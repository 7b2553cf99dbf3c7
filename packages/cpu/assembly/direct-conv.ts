// Direct standard convolution for few input channels (MobileNet's stem: 3×3 stride 2 over RGB),
// NHWC float32, vectorised over output channels: a tile of 4 output pixels × 8 output channels
// (one packed GEMM panel) accumulates in eight f32x4 registers.
// The indirect GEMM (igemm) spends more on its per-pixel pointer lists, with their divisions and
// edge tests, than on arithmetic when a tap holds only 3 channels. Here each output row first
// copies the kernelHeight input rows it reads into the thread's scratch, padding included as
// zeros, so every tap of every pixel lies in bounds at a fixed stride from the tile's first
// pixel; with dilationWidth 1 a kernel row's kernelWidth·inChannels inputs are consecutive and
// the k loop runs over all of them (the stem: 3 runs of 9 inputs instead of 9 taps of 3).
// The packed weights are the GEMM's ([8 bias][kernelHeight·kernelWidth·inChannels][8] per
// panel, src/pack/pack-gemm.ts), whose order is the same whichever way taps are grouped.
// Legend: r output row of the batch, oy output row in its image, iy input row, ky/kx kernel
// row/column, k input of a run, mr pixels of this tile that exist.
import { panelBytes, panelsPerBlock, storeTail } from './gemm';
import * as J from './job';
import { clamp, madd } from './simd';

// Pixels per tile. Four leave room for the eight accumulators, two weight vectors and a
// broadcast input in the 15 vector registers V8 allocates on x64; with 5 or 6 pixels (or the
// k loop unrolled twice) TurboFan spills accumulators, and the stem ran 1.6–1.9× slower
// (Zen 4 under Node 20, relaxed SIMD: 0.56 ms with 4 pixels against 0.90–1.06 ms).
const PIXELS = J.DIRECT_CONV_PIXELS;

// Input pixels a staged row holds: every window of `outWidth` outputs rounded up to whole tiles,
// so a tail tile's missing pixels read zeros in bounds (and are never stored).
export function stagedRowPixels(outWidth: i32, kernelWidth: i32, strideWidth: i32, dilationWidth: i32): i32 {
  const tiled = ((outWidth + PIXELS - 1) / PIXELS) * PIXELS;
  return (tiled - 1) * strideWidth + (kernelWidth - 1) * dilationWidth + 1;
}

// Pixels [0, mr) of a tile (PIXELS pixels at `a`, `pixelStep` apart in the staged rows) times one
// packed panel `w` of 8 output channels, clamped into `c` (row stride cStride, nc channels left).
// A run is `kc` consecutive inputs: a kernel row (tapsPerRow 1) or one kernel column of it.
@inline function directTile(
  mr: i32,
  a: usize,
  pixelStep: usize,
  kernelHeight: i32,
  tapsPerRow: i32,
  rowBytes: usize,
  tapStep: usize,
  kc: i32,
  w: usize,
  c: usize,
  cStride: usize,
  nc: i32,
  low: v128,
  high: v128,
): void {
  let acc00 = v128.load(w);
  let acc01 = v128.load(w, 16);
  let acc10 = acc00;
  let acc11 = acc01;
  let acc20 = acc00;
  let acc21 = acc01;
  let acc30 = acc00;
  let acc31 = acc01;
  let wp = w + 32;
  const s2 = pixelStep * 2;
  const s3 = pixelStep * 3;
  for (let ky = 0; ky < kernelHeight; ky++) {
    for (let kx = 0; kx < tapsPerRow; kx++) {
      let p = a + <usize>ky * rowBytes + <usize>kx * tapStep;
      // Broadcast loads, not one v128.load and lane shuffles: on x64 a load32_splat is a load
      // port's work alone, and the shuffles would compete with the multiply-adds.
      for (let k = 0; k < kc; k++) {
        const b0 = v128.load(wp);
        const b1 = v128.load(wp, 16);
        let va = v128.load32_splat(p);
        acc00 = madd(va, b0, acc00);
        acc01 = madd(va, b1, acc01);
        va = v128.load32_splat(p + pixelStep);
        acc10 = madd(va, b0, acc10);
        acc11 = madd(va, b1, acc11);
        va = v128.load32_splat(p + s2);
        acc20 = madd(va, b0, acc20);
        acc21 = madd(va, b1, acc21);
        va = v128.load32_splat(p + s3);
        acc30 = madd(va, b0, acc30);
        acc31 = madd(va, b1, acc31);
        p += 4;
        wp += 32;
      }
    }
  }
  if (nc >= 8) {
    v128.store(c, clamp(acc00, low, high));
    v128.store(c, clamp(acc01, low, high), 16);
    if (mr > 1) {
      v128.store(c + cStride, clamp(acc10, low, high));
      v128.store(c + cStride, clamp(acc11, low, high), 16);
    }
    if (mr > 2) {
      v128.store(c + 2 * cStride, clamp(acc20, low, high));
      v128.store(c + 2 * cStride, clamp(acc21, low, high), 16);
    }
    if (mr > 3) {
      v128.store(c + 3 * cStride, clamp(acc30, low, high));
      v128.store(c + 3 * cStride, clamp(acc31, low, high), 16);
    }
  } else {
    storeTail(c, clamp(acc00, low, high), clamp(acc01, low, high), nc);
    if (mr > 1) storeTail(c + cStride, clamp(acc10, low, high), clamp(acc11, low, high), nc);
    if (mr > 2) storeTail(c + 2 * cStride, clamp(acc20, low, high), clamp(acc21, low, high), nc);
    if (mr > 3) storeTail(c + 3 * cStride, clamp(acc30, low, high), clamp(acc31, low, high), nc);
  }
}

// Copies input row `iy` of `image` into `staged` behind `leftBytes` of zeros and ahead of
// zeros to `rowBytes`; a row in the vertical padding is all zeros.
@inline function stageRow(staged: usize, image: usize, iy: i32, inHeight: i32, inRowBytes: usize, rowBytes: usize, leftBytes: usize, copyBytes: usize): void {
  if (iy < 0 || iy >= inHeight) {
    memory.fill(staged, 0, rowBytes);
    return;
  }
  memory.fill(staged, 0, leftBytes);
  memory.copy(staged + leftBytes, image + <usize>iy * inRowBytes, copyBytes);
  memory.fill(staged + leftBytes + copyBytes, 0, rowBytes - leftBytes - copyBytes);
}

// Output rows [start, end) of the batch (row r is row r % outHeight of image r / outHeight).
// Scratch (sized by src/kernels/wasm-direct-conv2d.ts): kernelHeight staged rows of rowBytes.
export function directConv(job: usize, start: i32, end: i32, scratch: usize): void {
  const x = J.getp(job, J.X);
  const w = J.getp(job, J.W);
  const y = J.getp(job, J.Y);
  const inHeight = J.geti(job, J.IN_HEIGHT);
  const inWidth = J.geti(job, J.IN_WIDTH);
  const inChannels = J.geti(job, J.IN_CHANNELS);
  const outHeight = J.geti(job, J.OUT_HEIGHT);
  const outWidth = J.geti(job, J.OUT_WIDTH);
  const n = J.geti(job, J.OUT_CHANNELS);
  const kernelHeight = J.geti(job, J.KERNEL_HEIGHT);
  const kernelWidth = J.geti(job, J.KERNEL_WIDTH);
  const strideHeight = J.geti(job, J.STRIDE_HEIGHT);
  const dilationHeight = J.geti(job, J.DILATION_HEIGHT);
  const dilationWidth = J.geti(job, J.DILATION_WIDTH);
  const padTop = J.geti(job, J.PAD_TOP);
  const padLeft = J.geti(job, J.PAD_LEFT);
  const low = f32x4.splat(J.getf(job, J.CLAMP_LOW));
  const high = f32x4.splat(J.getf(job, J.CLAMP_HIGH));
  const pixelBytes = <usize>inChannels << 2;
  const rowPixels = stagedRowPixels(outWidth, kernelWidth, J.geti(job, J.STRIDE_WIDTH), dilationWidth);
  const rowBytes = (<usize>rowPixels * pixelBytes + 15) & ~15;
  const tapsPerRow = dilationWidth == 1 ? 1 : kernelWidth;
  const kc = dilationWidth == 1 ? kernelWidth * inChannels : inChannels;
  const inRowBytes = <usize>inWidth * pixelBytes;
  // Where the input sits in a staged row: after the left padding, clipped to the row.
  const leftBytes = <usize>min(padLeft, rowPixels) * pixelBytes;
  const copyBytes = <usize>max(0, min(inWidth, rowPixels - padLeft)) * pixelBytes;
  const panels = (n + 7) >> 3;
  const bytes = panelBytes(kernelHeight * kernelWidth, inChannels);
  const block = panelsPerBlock(bytes);
  const cStride = <usize>n << 2;
  const pixelStep = <usize>J.geti(job, J.STRIDE_WIDTH) * pixelBytes;
  const tapStep = <usize>dilationWidth * pixelBytes;
  for (let r = start; r < end; r++) {
    const b = r / outHeight;
    const oy = r - b * outHeight;
    const image = x + <usize>b * <usize>inHeight * inRowBytes;
    for (let ky = 0; ky < kernelHeight; ky++) {
      stageRow(scratch + <usize>ky * rowBytes, image, oy * strideHeight - padTop + ky * dilationHeight, inHeight, inRowBytes, rowBytes, leftBytes, copyBytes);
    }
    const yRow = y + <usize>r * <usize>outWidth * cStride;
    // Panels in blocks that stay in L2 while the row's tiles sweep them (as the GEMM does).
    for (let p0 = 0; p0 < panels; p0 += block) {
      const p1 = min(panels, p0 + block);
      for (let ox0 = 0; ox0 < outWidth; ox0 += PIXELS) {
        const mr = min(PIXELS, outWidth - ox0);
        const a = scratch + <usize>ox0 * pixelStep;
        const c = yRow + <usize>ox0 * cStride;
        for (let p = p0; p < p1; p++) {
          directTile(mr, a, pixelStep, kernelHeight, tapsPerRow, rowBytes, tapStep, kc, w + <usize>p * bytes, c + (<usize>p << 5), cStride, n - (p << 3), low, high);
        }
      }
    }
  }
}
