// Depthwise 5×5, dilation 1, multiplier 1, NHWC float32: MobileNetV3's 5×5 layers, which the
// generic row kernel ran at about half the multiply-adds per second of the 3×3 one (its per-tap
// address arithmetic, padding checks and weight loads sat inside the channel loop).
// Packed weights as in dwconv.ts: per block of 4 channels, [4 bias][25 taps][4 weights].
// Legend: oy/ox output row/column, iy/ix input row/column, ky/kx tap, cb channel block start.
import * as J from './job';
import { clamp, madd, storeLanes } from './simd';

const K: i32 = 5;
const BLOCK_BYTES: usize = (1 + 25) << 4;

// One output vector whose taps [kyStart, kyEnd) × [kxStart, kxEnd) are inside the image:
// `p` is the input at tap (0, 0) (possibly outside the image: only taps in range are read).
@inline function dw5x5Edge(p: usize, wb: usize, pixelBytes: usize, rowBytes: usize, kyStart: i32, kyEnd: i32, kxStart: i32, kxEnd: i32): v128 {
  let acc = v128.load(wb);
  for (let ky = kyStart; ky < kyEnd; ky++) {
    const row = p + <usize>ky * rowBytes;
    const wrow = wb + (<usize>(1 + ky * K) << 4);
    for (let kx = kxStart; kx < kxEnd; kx++) acc = madd(v128.load(row + <usize>kx * pixelBytes), v128.load(wrow + (<usize>kx << 4)), acc);
  }
  return acc;
}

// Output row `oy` of image `b` at stride `stride` (a constant after inlining), any padding.
// Channel blocks outermost over column strips whose five input rows fit in L1; rows in the
// padding are skipped (the tap range [kyStart, kyEnd)); interior columns run four output pixels
// per iteration, each tap row's five weights loaded once for the four; edge columns clip their
// tap columns. A channel tail (fewer than 4 lanes) loads whole vectors and stores its lanes
// only, as the 3×3 kernel does: the packed weights of the missing lanes are zero.
@inline function dwRow5x5(job: usize, b: i32, oy: i32, yRow: usize, stride: i32): void {
  const inHeight = J.geti(job, J.IN_HEIGHT);
  const inWidth = J.geti(job, J.IN_WIDTH);
  const channels = J.geti(job, J.IN_CHANNELS);
  const outWidth = J.geti(job, J.OUT_WIDTH);
  const padLeft = J.geti(job, J.PAD_LEFT);
  const low = f32x4.splat(J.getf(job, J.CLAMP_LOW));
  const high = f32x4.splat(J.getf(job, J.CLAMP_HIGH));
  const pixelBytes = <usize>channels << 2;
  const rowBytes = <usize>inWidth * pixelBytes;
  const image = J.getp(job, J.X) + <usize>b * <usize>inHeight * rowBytes;
  const iy0 = oy * stride - J.geti(job, J.PAD_TOP);
  const kyStart = iy0 >= 0 ? 0 : min(K, -iy0);
  const kyEnd = max(kyStart, min(K, inHeight - iy0));
  // Interior columns: ox * stride - padLeft >= 0 and ox * stride - padLeft + 4 < inWidth.
  const oxStart = min(outWidth, (padLeft + stride - 1) / stride);
  const oxEnd = max(oxStart, inWidth - K + padLeft >= 0 ? min(outWidth, (inWidth - K + padLeft) / stride + 1) : 0);
  const stepBytes = <usize>stride * pixelBytes;
  const strips = <i32>((<usize>K * <usize>(outWidth * stride + K - 1) * pixelBytes + 49151) / 49152);
  const strip = ((outWidth + strips - 1) / strips + 3) & ~3;
  // The input at tap (0, 0) of output column 0 (rows and columns may be outside the image).
  const origin = image + <usize>(iy0 * <i32>rowBytes) - <usize>(padLeft * <i32>pixelBytes);
  for (let s0 = 0; s0 < outWidth; s0 += strip) {
    const s1 = min(outWidth, s0 + strip);
    const iStart = min(max(oxStart, s0), s1);
    const iEnd = max(iStart, min(oxEnd, s1));
    let wb = J.getp(job, J.W);
    for (let cb = 0; cb < channels; cb += 4) {
      const lanes = channels - cb;
      const cbBytes = <usize>cb << 2;
      const base = origin + cbBytes;
      const yBase = yRow + cbBytes;
      // Edge columns.
      for (let ox = s0; ox < s1; ox++) {
        if (ox == iStart) ox = iEnd;
        if (ox >= s1) break;
        const ix0 = ox * stride - padLeft;
        const kxStart = ix0 >= 0 ? 0 : min(K, -ix0);
        const kxEnd = max(kxStart, min(K, inWidth - ix0));
        const v = dw5x5Edge(base + <usize>(ox * <i32>stepBytes), wb, pixelBytes, rowBytes, kyStart, kyEnd, kxStart, kxEnd);
        storeLanes(yBase + <usize>ox * pixelBytes, clamp(v, low, high), lanes);
      }
      // Interior columns, four at a time.
      const bias = v128.load(wb);
      let ox = iStart;
      for (; ox + 4 <= iEnd; ox += 4) {
        let s0v = bias;
        let s1v = bias;
        let s2v = bias;
        let s3v = bias;
        const p = base + <usize>ox * stepBytes;
        for (let ky = kyStart; ky < kyEnd; ky++) {
          const row = p + <usize>ky * rowBytes;
          const wrow = wb + (<usize>(1 + ky * K) << 4);
          let w: v128;
          let q: usize;
          // The row's five taps written out rather than left to a compiler's unrolling.
          w = v128.load(wrow, 0);
          q = row;
          s0v = madd(v128.load(q), w, s0v);
          s1v = madd(v128.load(q + stepBytes), w, s1v);
          s2v = madd(v128.load(q + 2 * stepBytes), w, s2v);
          s3v = madd(v128.load(q + 3 * stepBytes), w, s3v);
          w = v128.load(wrow, 16);
          q = row + pixelBytes;
          s0v = madd(v128.load(q), w, s0v);
          s1v = madd(v128.load(q + stepBytes), w, s1v);
          s2v = madd(v128.load(q + 2 * stepBytes), w, s2v);
          s3v = madd(v128.load(q + 3 * stepBytes), w, s3v);
          w = v128.load(wrow, 32);
          q = row + 2 * pixelBytes;
          s0v = madd(v128.load(q), w, s0v);
          s1v = madd(v128.load(q + stepBytes), w, s1v);
          s2v = madd(v128.load(q + 2 * stepBytes), w, s2v);
          s3v = madd(v128.load(q + 3 * stepBytes), w, s3v);
          w = v128.load(wrow, 48);
          q = row + 3 * pixelBytes;
          s0v = madd(v128.load(q), w, s0v);
          s1v = madd(v128.load(q + stepBytes), w, s1v);
          s2v = madd(v128.load(q + 2 * stepBytes), w, s2v);
          s3v = madd(v128.load(q + 3 * stepBytes), w, s3v);
          w = v128.load(wrow, 64);
          q = row + 4 * pixelBytes;
          s0v = madd(v128.load(q), w, s0v);
          s1v = madd(v128.load(q + stepBytes), w, s1v);
          s2v = madd(v128.load(q + 2 * stepBytes), w, s2v);
          s3v = madd(v128.load(q + 3 * stepBytes), w, s3v);
        }
        const yp = yBase + <usize>ox * pixelBytes;
        storeLanes(yp, clamp(s0v, low, high), lanes);
        storeLanes(yp + pixelBytes, clamp(s1v, low, high), lanes);
        storeLanes(yp + 2 * pixelBytes, clamp(s2v, low, high), lanes);
        storeLanes(yp + 3 * pixelBytes, clamp(s3v, low, high), lanes);
      }
      for (; ox < iEnd; ox++) {
        const v = dw5x5Edge(base + <usize>ox * stepBytes, wb, pixelBytes, rowBytes, kyStart, kyEnd, 0, K);
        storeLanes(yBase + <usize>ox * pixelBytes, clamp(v, low, high), lanes);
      }
      wb += BLOCK_BYTES;
    }
  }
}

export function dwRow5x5s1(job: usize, b: i32, oy: i32, yRow: usize): void {
  dwRow5x5(job, b, oy, yRow, 1);
}

export function dwRow5x5s2(job: usize, b: i32, oy: i32, yRow: usize): void {
  dwRow5x5(job, b, oy, yRow, 2);
}
