// int8 depthwise convolution, any kernel size, stride, dilation and padding, with TensorFlow
// Lite's requantization fused into the store. Sixteen channels at a time: inputs sign-extended
// to int16 (v128.load8x8_s), multiplied by int16 weights (an int8 product always fits), two
// taps' products summed in int16 (the weights are in [-127, 127], as QuantizedConvWeights
// guarantees), then widened into four int32x4 accumulators. A channel multiplier above 1 (output channel
// c·M + m reads input channel c, which no vector load gathers) runs a scalar loop instead.
// Packed weights (src/pack/pack-int8-depthwise.ts), per block of 16 output channels:
// [16 int32 bias][requantization of 16 channels, 384 bytes][taps][16 int16 weights]; the tail
// block is zero-padded. The bias already holds −inputZeroPoint·Σw, so padding taps read a
// buffer of the input zero point (at ZERO), which that term cancels.
// Legend: oy/ox output position, ky/kx kernel tap, t tap index, cb channel block, o output channel.
import * as J from './job';
import { boundVector, clampVector, zeroPointVector } from './int8-gemm';
import { requantize1, requantize4, storeClampedInt8x16 } from './int8-requantize';

const TILE: i32 = J.INT_8_DWCONV_CHANNEL_TILE;
const HEADER: usize = 64 + 16 * 24;

@inline export function int8DepthwiseBlockBytes(taps: i32): usize {
  return HEADER + <usize>taps * 32;
}

// One output pixel, all channels, multiplier 1: `pointers` holds each tap's input pixel (or the
// zero-point row), output at `out`. Taps go in pairs whose int16 products are summed before
// widening: |x·w| <= 128·127 = 16256, so two fit int16 (the weights are symmetric, in [-127, 127]).
@inline function pixelVector(pointers: usize, taps: i32, channels: i32, w: usize, out: usize, zeroPoint: v128, low: v128, high: v128, min8: v128, max8: v128): void {
  const blockBytes = int8DepthwiseBlockBytes(taps);
  for (let cb = 0; cb < channels; cb += TILE) {
    const block = w + <usize>(cb / TILE) * blockBytes;
    let acc0 = v128.load(block);
    let acc1 = v128.load(block, 16);
    let acc2 = v128.load(block, 32);
    let acc3 = v128.load(block, 48);
    let wp = block + HEADER;
    let t = 0;
    for (; t + 1 < taps; t += 2) {
      const xa = <usize>load<u32>(pointers + (<usize>t << 2)) + <usize>cb;
      const xb = <usize>load<u32>(pointers + (<usize>t << 2), 4) + <usize>cb;
      const p0 = i16x8.add(i16x8.mul(v128.load8x8_s(xa), v128.load(wp)), i16x8.mul(v128.load8x8_s(xb), v128.load(wp, 32)));
      const p1 = i16x8.add(i16x8.mul(v128.load8x8_s(xa, 8), v128.load(wp, 16)), i16x8.mul(v128.load8x8_s(xb, 8), v128.load(wp, 48)));
      acc0 = i32x4.add(acc0, i32x4.extend_low_i16x8_s(p0));
      acc1 = i32x4.add(acc1, i32x4.extend_high_i16x8_s(p0));
      acc2 = i32x4.add(acc2, i32x4.extend_low_i16x8_s(p1));
      acc3 = i32x4.add(acc3, i32x4.extend_high_i16x8_s(p1));
      wp += 64;
    }
    if (t < taps) {
      const xa = <usize>load<u32>(pointers + (<usize>t << 2)) + <usize>cb;
      const p0 = i16x8.mul(v128.load8x8_s(xa), v128.load(wp));
      const p1 = i16x8.mul(v128.load8x8_s(xa, 8), v128.load(wp, 16));
      acc0 = i32x4.add(acc0, i32x4.extend_low_i16x8_s(p0));
      acc1 = i32x4.add(acc1, i32x4.extend_high_i16x8_s(p0));
      acc2 = i32x4.add(acc2, i32x4.extend_low_i16x8_s(p1));
      acc3 = i32x4.add(acc3, i32x4.extend_high_i16x8_s(p1));
    }
    const params = block + 64;
    storeClampedInt8x16(
      out + <usize>cb,
      requantize4(acc0, params, 16, 0, zeroPoint, low, high),
      requantize4(acc1, params, 16, 4, zeroPoint, low, high),
      requantize4(acc2, params, 16, 8, zeroPoint, low, high),
      requantize4(acc3, params, 16, 12, zeroPoint, low, high),
      channels - cb,
      min8,
      max8,
    );
  }
}

// One output pixel, channel multiplier above 1: one channel at a time.
function pixelScalar(pointers: usize, taps: i32, outChannels: i32, multiplier: i32, w: usize, out: usize, zeroPoint: i32, low: i32, high: i32): void {
  const blockBytes = int8DepthwiseBlockBytes(taps);
  for (let o = 0; o < outChannels; o++) {
    const block = w + <usize>(o / TILE) * blockBytes;
    const j = <usize>(o % TILE);
    const c = <usize>(o / multiplier);
    let acc = load<i32>(block + (j << 2));
    let wp = block + HEADER + (j << 1);
    for (let t = 0; t < taps; t++) {
      acc += <i32>load<i8>(<usize>load<u32>(pointers + (<usize>t << 2)) + c) * <i32>load<i16>(wp);
      wp += 32;
    }
    store<i8>(out + <usize>o, <i8>requantize1(acc, block + 64, 16, j, zeroPoint, low, high));
  }
}

// Output rows [start, end) of the batch (row r is image r / outHeight, row r % outHeight);
// `scratch` holds one word per tap.
export function int8Dwconv(job: usize, start: i32, end: i32, scratch: usize): void {
  const outHeight = J.geti(job, J.OUT_HEIGHT);
  const outWidth = J.geti(job, J.OUT_WIDTH);
  const outChannels = J.geti(job, J.OUT_CHANNELS);
  const multiplier = J.geti(job, J.MULTIPLIER);
  const taps = J.geti(job, J.KERNEL_HEIGHT) * J.geti(job, J.KERNEL_WIDTH);
  const w = J.getp(job, J.W);
  const y = J.getp(job, J.Y);
  for (let r = start; r < end; r++) {
    const b = r / outHeight;
    const oy = r - b * outHeight;
    int8DwconvRow(job, b, oy, taps, outWidth, outChannels, multiplier, w, y + <usize>r * <usize>outWidth * <usize>outChannels, scratch);
  }
}

// One output row (b, oy) into `out` (outWidth × outChannels int8); the fused separable kernel
// runs it into its scratch. `pointers` holds one word per tap: each output pixel's tap
// addresses (the input pixel, or the zero-point row at ZERO for taps in the padding).
export function int8DwconvRow(
  job: usize,
  b: i32,
  oy: i32,
  taps: i32,
  outWidth: i32,
  outChannels: i32,
  multiplier: i32,
  w: usize,
  out: usize,
  pointers: usize,
): void {
  const zeroPoint = zeroPointVector(job, J.OUTPUT_ZERO_POINT);
  const low = boundVector(job, J.OUTPUT_ZERO_POINT, J.ACTIVATION_MIN);
  const high = boundVector(job, J.OUTPUT_ZERO_POINT, J.ACTIVATION_MAX);
  const min8 = clampVector(job, J.ACTIVATION_MIN);
  const max8 = clampVector(job, J.ACTIVATION_MAX);
  const inHeight = J.geti(job, J.IN_HEIGHT);
  const inWidth = J.geti(job, J.IN_WIDTH);
  const kernelHeight = J.geti(job, J.KERNEL_HEIGHT);
  const kernelWidth = J.geti(job, J.KERNEL_WIDTH);
  const channels = <usize>J.geti(job, J.IN_CHANNELS);
  const zero = J.getp(job, J.ZERO);
  const image = J.getp(job, J.X) + <usize>b * <usize>inHeight * <usize>inWidth * channels;
  const iy0 = oy * J.geti(job, J.STRIDE_HEIGHT) - J.geti(job, J.PAD_TOP);
  const strideWidth = J.geti(job, J.STRIDE_WIDTH);
  const padLeft = J.geti(job, J.PAD_LEFT);
  const dilationHeight = J.geti(job, J.DILATION_HEIGHT);
  const dilationWidth = J.geti(job, J.DILATION_WIDTH);
  for (let ox = 0; ox < outWidth; ox++) {
    const ix0 = ox * strideWidth - padLeft;
    let slot = pointers;
    for (let ky = 0; ky < kernelHeight; ky++) {
      const iy = iy0 + ky * dilationHeight;
      const rowInside = iy >= 0 && iy < inHeight;
      const row = image + <usize>iy * <usize>inWidth * channels;
      for (let kx = 0; kx < kernelWidth; kx++) {
        const ix = ix0 + kx * dilationWidth;
        store<u32>(slot, <u32>(rowInside && ix >= 0 && ix < inWidth ? row + <usize>ix * channels : zero));
        slot += 4;
      }
    }
    const pixel = out + <usize>ox * <usize>outChannels;
    if (multiplier == 1) {
      pixelVector(pointers, taps, outChannels, w, pixel, zeroPoint, low, high, min8, max8);
    } else {
      const z = J.geti(job, J.OUTPUT_ZERO_POINT);
      pixelScalar(pointers, taps, outChannels, multiplier, w, pixel, z, J.geti(job, J.ACTIVATION_MIN) - z, J.geti(job, J.ACTIVATION_MAX) - z);
    }
  }
}
