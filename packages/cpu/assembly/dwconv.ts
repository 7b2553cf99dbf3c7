// Depthwise convolution, NHWC float32, channels vectorised four at a time.
// Packed weights (src/pack/pack-depthwise.ts): per block of 4 output channels,
// [4 bias][kernelHeight * kernelWidth taps][4 weights]; the tail block is zero-padded.
// Legend: oy/ox output row/column, iy/ix input row/column, ky/kx tap, cb channel block start.
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

// 3×3, dilation 1, multiplier 1, stride `stride` (a constant after inlining): interior
// columns read three input rows (a zero row stands in for rows in the padding) with all
// nine weights of a channel block held in registers; edge columns go through the generic row.
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
  dwRowGeneric(job, b, oy, 0, oxStart, yRow);
  dwRowGeneric(job, b, oy, oxEnd, outWidth, yRow);
  const stepBytes = <usize>stride * pixelBytes;
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
    const start = <usize>(oxStart * stride - padLeft) * pixelBytes + (<usize>cb << 2);
    let p0 = r0 + start;
    let p1 = r1 + start;
    let p2 = r2 + start;
    let yp = yRow + <usize>oxStart * pixelBytes + (<usize>cb << 2);
    if (lanes >= 4) {
      for (let ox = oxStart; ox < oxEnd; ox++) {
        let acc = madd(v128.load(p0), w00, bias);
        let acc1 = f32x4.mul(v128.load(p1), w10);
        let acc2 = f32x4.mul(v128.load(p2), w20);
        acc = madd(v128.load(p0 + pixelBytes), w01, acc);
        acc1 = madd(v128.load(p1 + pixelBytes), w11, acc1);
        acc2 = madd(v128.load(p2 + pixelBytes), w21, acc2);
        acc = madd(v128.load(p0 + 2 * pixelBytes), w02, acc);
        acc1 = madd(v128.load(p1 + 2 * pixelBytes), w12, acc1);
        acc2 = madd(v128.load(p2 + 2 * pixelBytes), w22, acc2);
        v128.store(yp, clamp(f32x4.add(f32x4.add(acc, acc1), acc2), low, high));
        p0 += stepBytes;
        p1 += stepBytes;
        p2 += stepBytes;
        yp += pixelBytes;
      }
    } else {
      for (let ox = oxStart; ox < oxEnd; ox++) {
        let acc = madd(v128.load(p0), w00, bias);
        let acc1 = f32x4.mul(v128.load(p1), w10);
        let acc2 = f32x4.mul(v128.load(p2), w20);
        acc = madd(v128.load(p0 + pixelBytes), w01, acc);
        acc1 = madd(v128.load(p1 + pixelBytes), w11, acc1);
        acc2 = madd(v128.load(p2 + pixelBytes), w21, acc2);
        acc = madd(v128.load(p0 + 2 * pixelBytes), w02, acc);
        acc1 = madd(v128.load(p1 + 2 * pixelBytes), w12, acc1);
        acc2 = madd(v128.load(p2 + 2 * pixelBytes), w22, acc2);
        storeLanes(yp, clamp(f32x4.add(f32x4.add(acc, acc1), acc2), low, high), lanes);
        p0 += stepBytes;
        p1 += stepBytes;
        p2 += stepBytes;
        yp += pixelBytes;
      }
    }
    wb += 160;
  }
}

export function dwRow3x3s1(job: usize, b: i32, oy: i32, yRow: usize): void {
  dwRow3x3(job, b, oy, yRow, 1);
}

export function dwRow3x3s2(job: usize, b: i32, oy: i32, yRow: usize): void {
  dwRow3x3(job, b, oy, yRow, 2);
}

// Output rows [start, end) of the whole batch (row r is image r / outHeight, row r % outHeight).
export function dwconv(job: usize, start: i32, end: i32, kernel: i32): void {
  const y = J.getp(job, J.Y);
  const outHeight = J.geti(job, J.OUT_HEIGHT);
  const outWidth = J.geti(job, J.OUT_WIDTH);
  const outChannels = J.geti(job, J.IN_CHANNELS) * J.geti(job, J.MULTIPLIER);
  const rowBytes = <usize>outWidth * <usize>outChannels << 2;
  for (let r = start; r < end; r++) {
    const b = r / outHeight;
    const oy = r - b * outHeight;
    const yRow = y + <usize>r * rowBytes;
    if (kernel == J.DWCONV_3X3S1) dwRow3x3s1(job, b, oy, yRow);
    else if (kernel == J.DWCONV_3X3S2) dwRow3x3s2(job, b, oy, yRow);
    else dwRowGeneric(job, b, oy, 0, outWidth, yRow);
  }
}
