// Direct standard convolution for few input channels (MobileNet's stem: 3×3 stride 2 over RGB),
// NHWC float32, vectorised over output channels by the GEMM micro-kernel (gemm.ts: MR output
// pixels × 8 output channels, one packed panel, per tile).
// The indirect GEMM (igemm) spends more on its per-pixel pointer lists, with their divisions and
// edge tests, than on arithmetic when a tap holds only 3 channels. Here each output row first
// copies the kernelHeight input rows it reads into the thread's scratch, padding included as
// zeros, so every tap of every pixel lies in bounds at a fixed stride from the tile's first
// pixel and a tile's pointer list is a few additions; with dilationWidth 1 a kernel row's kernelWidth·inChannels inputs are consecutive and
// the k loop runs over all of them (the stem: 3 runs of 9 inputs instead of 9 taps of 3).
// The packed weights are the GEMM's ([8 bias][kernelHeight·kernelWidth·inChannels][8] per
// panel, src/pack/pack-gemm.ts), whose order is the same whichever way taps are grouped.
// Legend: r output row of the batch, oy output row in its image, iy input row, ky/kx kernel
// row/column, k input of a run, mr pixels of this tile that exist.
import { MR, panelBytes, panelsPerBlock, tile } from './gemm';
import * as J from './job';

// Input pixels a staged row holds: every window of `outWidth` outputs rounded up to whole tiles,
// so a tail tile's missing pixels read zeros in bounds (and are never stored).
export function stagedRowPixels(outWidth: i32, kernelWidth: i32, strideWidth: i32, dilationWidth: i32): i32 {
  const tiled = ((outWidth + MR - 1) / MR) * MR;
  return (tiled - 1) * strideWidth + (kernelWidth - 1) * dilationWidth + 1;
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
// Scratch (sized by src/kernels/wasm-direct-conv2d.ts): MR row addresses per tap, then
// kernelHeight staged rows of rowBytes. The clamp and the epilogue `mode` (J.EPILOGUE_*, a
// constant where inlined) are applied in each tile before its store.
@inline function directConvWith(job: usize, start: i32, end: i32, scratch: usize, mode: i32): void {
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
  // A micro-kernel tap is a run of kc consecutive inputs: a whole kernel row when dilationWidth
  // is 1, otherwise one kernel column.
  const tapsPerRow = dilationWidth == 1 ? 1 : kernelWidth;
  const taps = kernelHeight * tapsPerRow;
  const ind = scratch;
  const rows = scratch + (((<usize>(taps * MR) << 2) + 15) & ~15);
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
      stageRow(rows + <usize>ky * rowBytes, image, oy * strideHeight - padTop + ky * dilationHeight, inHeight, inRowBytes, rowBytes, leftBytes, copyBytes);
    }
    const yRow = y + <usize>r * <usize>outWidth * cStride;
    // Panels in blocks that stay in L2 while the row's tiles sweep them (as the GEMM does).
    for (let p0 = 0; p0 < panels; p0 += block) {
      const p1 = min(panels, p0 + block);
      for (let ox0 = 0; ox0 < outWidth; ox0 += MR) {
        const mr = min(MR, outWidth - ox0);
        // Every pixel's address per tap; pixels past the row's end read the staged row's zero tail.
        for (let t = 0; t < taps; t++) {
          const ky = t / tapsPerRow;
          const tapBase = rows + <usize>ky * rowBytes + <usize>(t - ky * tapsPerRow) * tapStep + <usize>ox0 * pixelStep;
          for (let i = 0; i < MR; i++) store<u32>(ind + (<usize>(t * MR + i) << 2), <u32>(tapBase + <usize>i * pixelStep));
        }
        const c = yRow + <usize>ox0 * cStride;
        for (let p = p0; p < p1; p++) {
          tile(mr, ind, taps, kc, w + <usize>p * bytes, c + (<usize>p << 5), cStride, n - (p << 3), low, high, 0, mode);
        }
      }
    }
  }
}

// One function per epilogue, so that each inlined copy of the tile has its mode as a constant.
// (Through gemm.ts's sweepPanels, a call per row tile, the stem's 27-input tiles ran ~3% slower
// than with the row's second pass; inlined here they need no call.)
function directConvClamp(job: usize, start: i32, end: i32, scratch: usize): void {
  directConvWith(job, start, end, scratch, J.EPILOGUE_CLAMP);
}

function directConvHardSwish(job: usize, start: i32, end: i32, scratch: usize): void {
  directConvWith(job, start, end, scratch, J.EPILOGUE_HARD_SWISH);
}

function directConvHardSigmoid(job: usize, start: i32, end: i32, scratch: usize): void {
  directConvWith(job, start, end, scratch, J.EPILOGUE_HARD_SIGMOID);
}

export function directConv(job: usize, start: i32, end: i32, scratch: usize): void {
  const mode = J.geti(job, J.EPILOGUE);
  if (mode == J.EPILOGUE_HARD_SWISH) directConvHardSwish(job, start, end, scratch);
  else if (mode == J.EPILOGUE_HARD_SIGMOID) directConvHardSigmoid(job, start, end, scratch);
  else directConvClamp(job, start, end, scratch);
}
