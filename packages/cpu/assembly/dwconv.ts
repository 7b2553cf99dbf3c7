// Depthwise convolution, NHWC float32, channels vectorised four at a time.
// Packed weights (src/pack/pack-depthwise.ts): per block of 4 output channels,
// [4 bias][kernelHeight * kernelWidth taps][4 weights]; the tail block is zero-padded.
// Legend: oy/ox output row/column, iy/ix input row/column, ky/kx tap, cb channel block start.
import { activateSpan } from './activation';
import { dwRow5x5s1, dwRow5x5s2 } from './dwconv-5x5';
import * as J from './job';
import { clamp, madd, storeLanes } from './simd';

// Any kernel size, stride, dilation, padding and multiplier, for output columns
// [oxStart, oxEnd) of output row `oy` of image `b`. Taps in the padding are skipped.
export function dwRowGeneric(job: usize, b: i32, oy: i32, oxStart: i32, oxEnd: i32, yRow: usize): void {
  const x = J.getp(job, J.X);
  const w = J.getp(job, J.W);
  const inHeight = J.geti(job, J.IN_HEIGHT);
  const inWidth = J.geti(job, J.IN_WIDTH);
  const inChannels = J.geti(job, J.IN_CHANNELS);
  const multiplier = J.geti(job, J.MULTIPLIER);
  const outChannels = inChannels * multiplier;
  const kernelHeight = J.geti(job, J.KERNEL_HEIGHT);
  const kernelWidth = J.geti(job, J.KERNEL_WIDTH);
  const strideWidth = J.geti(job, J.STRIDE_WIDTH);
  const dilationHeight = J.geti(job, J.DILATION_HEIGHT);
  const dilationWidth = J.geti(job, J.DILATION_WIDTH);
  const padLeft = J.geti(job, J.PAD_LEFT);
  const low = f32x4.splat(J.getf(job, J.CLAMP_LOW));
  const high = f32x4.splat(J.getf(job, J.CLAMP_HIGH));
  const taps = kernelHeight * kernelWidth;
  const blockBytes = <usize>(1 + taps) << 4;
  const pixelBytes = <usize>inChannels << 2;
  const iy0 = oy * J.geti(job, J.STRIDE_HEIGHT) - J.geti(job, J.PAD_TOP);
  const kyStart = iy0 >= 0 ? 0 : (-iy0 + dilationHeight - 1) / dilationHeight;
  const kyEnd = iy0 >= inHeight ? 0 : min(kernelHeight, (inHeight - 1 - iy0) / dilationHeight + 1);
  const image = x + <usize>b * <usize>inHeight * <usize>inWidth * pixelBytes;
  for (let ox = oxStart; ox < oxEnd; ox++) {
    const ix0 = ox * strideWidth - padLeft;
    const kxStart = ix0 >= 0 ? 0 : (-ix0 + dilationWidth - 1) / dilationWidth;
    const kxEnd = ix0 >= inWidth ? 0 : min(kernelWidth, (inWidth - 1 - ix0) / dilationWidth + 1);
    const yPixel = yRow + (<usize>ox * <usize>outChannels << 2);
    let wb = w;
    for (let cb = 0; cb < outChannels; cb += 4) {
      let acc = v128.load(wb);
      for (let ky = kyStart; ky < kyEnd; ky++) {
        const row = image + <usize>(iy0 + ky * dilationHeight) * <usize>inWidth * pixelBytes;
        for (let kx = kxStart; kx < kxEnd; kx++) {
          const pixel = row + <usize>(ix0 + kx * dilationWidth) * pixelBytes;
          const weights = v128.load(wb + (<usize>(1 + ky * kernelWidth + kx) << 4));
          let xv: v128;
          if (multiplier == 1) {
            xv = v128.load(pixel + (<usize>cb << 2));
          } else {
            // Output channel o reads input channel o / multiplier; lanes past the end reuse
            // the last channel so the loads stay inside the pixel.
            const last = outChannels - 1;
            xv = f32x4.splat(load<f32>(pixel + (<usize>(cb / multiplier) << 2)));
            xv = f32x4.replace_lane(xv, 1, load<f32>(pixel + (<usize>(min(cb + 1, last) / multiplier) << 2)));
            xv = f32x4.replace_lane(xv, 2, load<f32>(pixel + (<usize>(min(cb + 2, last) / multiplier) << 2)));
            xv = f32x4.replace_lane(xv, 3, load<f32>(pixel + (<usize>(min(cb + 3, last) / multiplier) << 2)));
          }
          acc = madd(xv, weights, acc);
        }
      }
      storeLanes(yPixel + (<usize>cb << 2), clamp(acc, low, high), outChannels - cb);
      wb += blockBytes;
    }
  }
}

// One output vector of a 3×3 kernel whose nine input addresses are given (taps in the
// padding point at the zero buffer): the edge columns of the row kernel below.
@inline function dw3x3Vector(
  a00: usize, a01: usize, a02: usize, a10: usize, a11: usize, a12: usize, a20: usize, a21: usize, a22: usize,
  bias: v128, w00: v128, w01: v128, w02: v128, w10: v128, w11: v128, w12: v128, w20: v128, w21: v128, w22: v128,
): v128 {
  let acc = madd(v128.load(a00), w00, bias);
  let acc1 = f32x4.mul(v128.load(a10), w10);
  acc = madd(v128.load(a01), w01, acc);
  acc1 = madd(v128.load(a11), w11, acc1);
  acc = madd(v128.load(a02), w02, acc);
  acc1 = madd(v128.load(a12), w12, acc1);
  acc = madd(v128.load(a20), w20, acc);
  acc1 = madd(v128.load(a21), w21, acc1);
  acc = madd(v128.load(a22), w22, acc);
  return f32x4.add(acc, acc1);
}

// One output vector of a 3×3 kernel with one kernel column in the padding: the two inside
// columns' six input addresses and weights.
@inline function dw3x2Vector(a00: usize, a01: usize, a10: usize, a11: usize, a20: usize, a21: usize, bias: v128, w00: v128, w01: v128, w10: v128, w11: v128, w20: v128, w21: v128): v128 {
  let acc = madd(v128.load(a00), w00, bias);
  let acc1 = f32x4.mul(v128.load(a10), w10);
  acc = madd(v128.load(a01), w01, acc);
  acc1 = madd(v128.load(a11), w11, acc1);
  acc = madd(v128.load(a20), w20, acc);
  acc1 = madd(v128.load(a21), w21, acc1);
  return f32x4.add(acc, acc1);
}

// 3×3, dilation 1, multiplier 1, stride `stride` (a constant after inlining), any padding.
// Channel blocks outermost so that a block's nine weight vectors and bias stay in registers
// for the whole row; rows in the padding read a zero row; edge columns substitute the zero
// buffer for taps in the padding; interior columns run four output pixels per iteration with
// stride 1, which share their input columns.
@inline function dwRow3x3(job: usize, b: i32, oy: i32, yRow: usize, stride: i32): void {
  const x = J.getp(job, J.X);
  const w = J.getp(job, J.W);
  const zero = J.getp(job, J.ZERO);
  const inHeight = J.geti(job, J.IN_HEIGHT);
  const inWidth = J.geti(job, J.IN_WIDTH);
  const channels = J.geti(job, J.IN_CHANNELS);
  const outWidth = J.geti(job, J.OUT_WIDTH);
  const padLeft = J.geti(job, J.PAD_LEFT);
  const low = f32x4.splat(J.getf(job, J.CLAMP_LOW));
  const high = f32x4.splat(J.getf(job, J.CLAMP_HIGH));
  const pixelBytes = <usize>channels << 2;
  const rowBytes = <usize>inWidth * pixelBytes;
  const image = x + <usize>b * <usize>inHeight * rowBytes;
  const iy0 = oy * stride - J.geti(job, J.PAD_TOP);
  const r0 = iy0 >= 0 && iy0 < inHeight ? image + <usize>iy0 * rowBytes : zero;
  const r1 = iy0 + 1 >= 0 && iy0 + 1 < inHeight ? image + <usize>(iy0 + 1) * rowBytes : zero;
  const r2 = iy0 + 2 >= 0 && iy0 + 2 < inHeight ? image + <usize>(iy0 + 2) * rowBytes : zero;
  // Interior columns: ox * stride - padLeft >= 0 and ox * stride - padLeft + 2 < inWidth.
  let oxStart = (padLeft + stride - 1) / stride;
  let oxEnd = inWidth - 3 + padLeft >= 0 ? min(outWidth, (inWidth - 3 + padLeft) / stride + 1) : 0;
  if (oxStart > outWidth) oxStart = outWidth;
  if (oxEnd < oxStart) oxEnd = oxStart;
  const stepBytes = <usize>stride * pixelBytes;
  // Equal column strips whose three input rows fit in L1 (48 KiB, Zen 5's L1): every channel
  // block of a strip then finds the strip's cache lines (16 channels, four blocks) still there,
  // where whole rows of 14×14×512 (86 KiB) came back from L2 once per block.
  const strips = <i32>((3 * <usize>(outWidth * stride + 2) * pixelBytes + 49151) / 49152);
  const strip = (((outWidth + strips - 1) / strips + 3) & ~3);
  for (let s0 = 0; s0 < outWidth; s0 += strip) {
    const s1 = min(outWidth, s0 + strip);
    const iStart = min(max(oxStart, s0), s1);
    const iEnd = max(iStart, min(oxEnd, s1));
    let wb = w;
    for (let cb = 0; cb < channels; cb += 4) {
      const bias = v128.load(wb);
      const w00 = v128.load(wb, 16);
      const w01 = v128.load(wb, 32);
      const w02 = v128.load(wb, 48);
      const w10 = v128.load(wb, 64);
      const w11 = v128.load(wb, 80);
      const w12 = v128.load(wb, 96);
      const w20 = v128.load(wb, 112);
      const w21 = v128.load(wb, 128);
      const w22 = v128.load(wb, 144);
      const lanes = channels - cb;
      const cbBytes = <usize>cb << 2;
      const z = zero + cbBytes;
      for (let ox = s0; ox < s1; ox++) {
        if (ox == iStart) ox = iEnd;
        if (ox >= s1) break;
        const ix = ox * stride - padLeft;
        // The edges of 'same' padding (one kernel column in the padding, the other two inside)
        // skip the nine address selects: on 14×14×512 the two edge columns took a third of a row.
        if (ix + 2 == inWidth && ix >= 0) {
          const a = r0 + <usize>ix * pixelBytes + cbBytes;
          const d = r1 + <usize>ix * pixelBytes + cbBytes;
          const e = r2 + <usize>ix * pixelBytes + cbBytes;
          const v = dw3x2Vector(a, a + pixelBytes, d, d + pixelBytes, e, e + pixelBytes, bias, w00, w01, w10, w11, w20, w21);
          storeLanes(yRow + <usize>ox * pixelBytes + cbBytes, clamp(v, low, high), lanes);
          continue;
        }
        if (ix == -1 && inWidth >= 2) {
          const v = dw3x2Vector(r0 + cbBytes, r0 + pixelBytes + cbBytes, r1 + cbBytes, r1 + pixelBytes + cbBytes, r2 + cbBytes, r2 + pixelBytes + cbBytes, bias, w01, w02, w11, w12, w21, w22);
          storeLanes(yRow + <usize>ox * pixelBytes + cbBytes, clamp(v, low, high), lanes);
          continue;
        }
        const c0 = ix >= 0 && ix < inWidth ? <usize>ix * pixelBytes + cbBytes : <usize>-1;
        const c1 = ix + 1 >= 0 && ix + 1 < inWidth ? <usize>(ix + 1) * pixelBytes + cbBytes : <usize>-1;
        const c2 = ix + 2 >= 0 && ix + 2 < inWidth ? <usize>(ix + 2) * pixelBytes + cbBytes : <usize>-1;
        const v = dw3x3Vector(
          c0 == <usize>-1 ? z : r0 + c0, c1 == <usize>-1 ? z : r0 + c1, c2 == <usize>-1 ? z : r0 + c2,
          c0 == <usize>-1 ? z : r1 + c0, c1 == <usize>-1 ? z : r1 + c1, c2 == <usize>-1 ? z : r1 + c2,
          c0 == <usize>-1 ? z : r2 + c0, c1 == <usize>-1 ? z : r2 + c1, c2 == <usize>-1 ? z : r2 + c2,
          bias, w00, w01, w02, w10, w11, w12, w20, w21, w22,
        );
        storeLanes(yRow + <usize>ox * pixelBytes + cbBytes, clamp(v, low, high), lanes);
      }
      const start = <usize>(iStart * stride - padLeft) * pixelBytes + cbBytes;
      let p0 = r0 + start;
      let p1 = r1 + start;
      let p2 = r2 + start;
      let yp = yRow + <usize>iStart * pixelBytes + cbBytes;
      let ox = iStart;
      if (lanes >= 4) {
        if (stride == 1) {
          for (; ox + 4 <= iEnd; ox += 4) {
            // Four output pixels share their input columns: 18 loads for 4 outputs where two
            // pixels took 12 for 2. Some of the 10 weights spill (TurboFan hoists the loads), but
            // callgrind counts 42 instructions per output vector here against 47 for two pixels,
            // and 56×56×128 / 112×112×32 ran 3% / 8% faster (Zen 5, Node 20).
            let s0 = bias;
            let s1 = bias;
            let s2 = bias;
            let s3 = bias;
            let x: v128;
            x = v128.load(p0);
            s0 = madd(x, w00, s0);
            x = v128.load(p0 + pixelBytes);
            s0 = madd(x, w01, s0);
            s1 = madd(x, w00, s1);
            x = v128.load(p0 + 2 * pixelBytes);
            s0 = madd(x, w02, s0);
            s1 = madd(x, w01, s1);
            s2 = madd(x, w00, s2);
            x = v128.load(p0 + 3 * pixelBytes);
            s1 = madd(x, w02, s1);
            s2 = madd(x, w01, s2);
            s3 = madd(x, w00, s3);
            x = v128.load(p0 + 4 * pixelBytes);
            s2 = madd(x, w02, s2);
            s3 = madd(x, w01, s3);
            x = v128.load(p0 + 5 * pixelBytes);
            s3 = madd(x, w02, s3);
            x = v128.load(p1);
            s0 = madd(x, w10, s0);
            x = v128.load(p1 + pixelBytes);
            s0 = madd(x, w11, s0);
            s1 = madd(x, w10, s1);
            x = v128.load(p1 + 2 * pixelBytes);
            s0 = madd(x, w12, s0);
            s1 = madd(x, w11, s1);
            s2 = madd(x, w10, s2);
            x = v128.load(p1 + 3 * pixelBytes);
            s1 = madd(x, w12, s1);
            s2 = madd(x, w11, s2);
            s3 = madd(x, w10, s3);
            x = v128.load(p1 + 4 * pixelBytes);
            s2 = madd(x, w12, s2);
            s3 = madd(x, w11, s3);
            x = v128.load(p1 + 5 * pixelBytes);
            s3 = madd(x, w12, s3);
            x = v128.load(p2);
            s0 = madd(x, w20, s0);
            x = v128.load(p2 + pixelBytes);
            s0 = madd(x, w21, s0);
            s1 = madd(x, w20, s1);
            x = v128.load(p2 + 2 * pixelBytes);
            s0 = madd(x, w22, s0);
            s1 = madd(x, w21, s1);
            s2 = madd(x, w20, s2);
            x = v128.load(p2 + 3 * pixelBytes);
            s1 = madd(x, w22, s1);
            s2 = madd(x, w21, s2);
            s3 = madd(x, w20, s3);
            x = v128.load(p2 + 4 * pixelBytes);
            s2 = madd(x, w22, s2);
            s3 = madd(x, w21, s3);
            x = v128.load(p2 + 5 * pixelBytes);
            s3 = madd(x, w22, s3);
            v128.store(yp, clamp(s0, low, high));
            v128.store(yp + pixelBytes, clamp(s1, low, high));
            v128.store(yp + 2 * pixelBytes, clamp(s2, low, high));
            v128.store(yp + 3 * pixelBytes, clamp(s3, low, high));
            p0 += 4 * pixelBytes;
            p1 += 4 * pixelBytes;
            p2 += 4 * pixelBytes;
            yp += 4 * pixelBytes;
          }
        }
        for (; ox < iEnd; ox++) {
          v128.store(yp, clamp(dw3x3Vector(p0, p0 + pixelBytes, p0 + 2 * pixelBytes, p1, p1 + pixelBytes, p1 + 2 * pixelBytes, p2, p2 + pixelBytes, p2 + 2 * pixelBytes, bias, w00, w01, w02, w10, w11, w12, w20, w21, w22), low, high));
          p0 += stepBytes;
          p1 += stepBytes;
          p2 += stepBytes;
          yp += pixelBytes;
        }
      } else {
        for (; ox < iEnd; ox++) {
          storeLanes(yp, clamp(dw3x3Vector(p0, p0 + pixelBytes, p0 + 2 * pixelBytes, p1, p1 + pixelBytes, p1 + 2 * pixelBytes, p2, p2 + pixelBytes, p2 + 2 * pixelBytes, bias, w00, w01, w02, w10, w11, w12, w20, w21, w22), low, high), lanes);
          p0 += stepBytes;
          p1 += stepBytes;
          p2 += stepBytes;
          yp += pixelBytes;
        }
      }
      wb += 160;
    }
  }
}

export function dwRow3x3s1(job: usize, b: i32, oy: i32, yRow: usize): void {
  dwRow3x3(job, b, oy, yRow, 1);
}

export function dwRow3x3s2(job: usize, b: i32, oy: i32, yRow: usize): void {
  dwRow3x3(job, b, oy, yRow, 2);
}

// Output row `oy` of image `b` by depthwise kernel `kernel` (J.DWCONV_*), clamped, into `yRow`.
export function dwRow(job: usize, kernel: i32, b: i32, oy: i32, yRow: usize): void {
  if (kernel == J.DWCONV_3X3S1) dwRow3x3s1(job, b, oy, yRow);
  else if (kernel == J.DWCONV_3X3S2) dwRow3x3s2(job, b, oy, yRow);
  else if (kernel == J.DWCONV_5X5S1) dwRow5x5s1(job, b, oy, yRow);
  else if (kernel == J.DWCONV_5X5S2) dwRow5x5s2(job, b, oy, yRow);
  else dwRowGeneric(job, b, oy, 0, J.geti(job, J.OUT_WIDTH), yRow);
}

// Output rows [start, end) of the whole batch (row r is image r / outHeight, row r % outHeight).
export function dwconv(job: usize, start: i32, end: i32, kernel: i32): void {
  const y = J.getp(job, J.Y);
  const outHeight = J.geti(job, J.OUT_HEIGHT);
  const outWidth = J.geti(job, J.OUT_WIDTH);
  const outChannels = J.geti(job, J.IN_CHANNELS) * J.geti(job, J.MULTIPLIER);
  const rowBytes = <usize>outWidth * <usize>outChannels << 2;
  const epilogue = J.geti(job, J.EPILOGUE);
  for (let r = start; r < end; r++) {
    const b = r / outHeight;
    const oy = r - b * outHeight;
    const yRow = y + <usize>r * rowBytes;
    dwRow(job, kernel, b, oy, yRow);
    // Hard-swish / hard-sigmoid over the row just written (a few KiB, still in L1). Applied in
    // the row kernels' registers instead (each kernel and epilogue its own function, as the
    // GEMMs do) it measured level on 3×3 and level to 6% slower on 5×5 (V3-Large's 14×14 and
    // 7×7 layers, 1 thread, best of 40–60, loaded machine): the pass is cheap beside 9–25
    // multiply-adds per vector, and (not verified) the epilogue's constants likely take registers
    // those kernels already spill for.
    if (epilogue != J.EPILOGUE_CLAMP) activateSpan(yRow, yRow, outWidth * outChannels, -Infinity, Infinity, epilogue);
  }
}
