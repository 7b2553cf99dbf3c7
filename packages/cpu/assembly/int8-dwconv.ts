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

// One output pixel of a 3×3 kernel, all channels, multiplier 1, from its nine tap addresses
// (`t0`..`t8`: the input pixels, or the zero-point pixel): pixelVector with the addresses in
// registers instead of a table.
@inline function pixel3x3(
  t0: usize, t1: usize, t2: usize, t3: usize, t4: usize, t5: usize, t6: usize, t7: usize, t8: usize,
  channels: i32, w: usize, out: usize, zeroPoint: v128, low: v128, high: v128, min8: v128, max8: v128,
): void {
  const blockBytes = int8DepthwiseBlockBytes(9);
  let block = w;
  for (let cb = 0; cb < channels; cb += TILE) {
    const c = <usize>cb;
    const wp = block + HEADER;
    let p0 = i16x8.add(i16x8.mul(v128.load8x8_s(t0 + c), v128.load(wp)), i16x8.mul(v128.load8x8_s(t1 + c), v128.load(wp, 32)));
    let p1 = i16x8.add(i16x8.mul(v128.load8x8_s(t0 + c, 8), v128.load(wp, 16)), i16x8.mul(v128.load8x8_s(t1 + c, 8), v128.load(wp, 48)));
    let acc0 = i32x4.add(v128.load(block), i32x4.extend_low_i16x8_s(p0));
    let acc1 = i32x4.add(v128.load(block, 16), i32x4.extend_high_i16x8_s(p0));
    let acc2 = i32x4.add(v128.load(block, 32), i32x4.extend_low_i16x8_s(p1));
    let acc3 = i32x4.add(v128.load(block, 48), i32x4.extend_high_i16x8_s(p1));
    p0 = i16x8.add(i16x8.mul(v128.load8x8_s(t2 + c), v128.load(wp, 64)), i16x8.mul(v128.load8x8_s(t3 + c), v128.load(wp, 96)));
    p1 = i16x8.add(i16x8.mul(v128.load8x8_s(t2 + c, 8), v128.load(wp, 80)), i16x8.mul(v128.load8x8_s(t3 + c, 8), v128.load(wp, 112)));
    acc0 = i32x4.add(acc0, i32x4.extend_low_i16x8_s(p0));
    acc1 = i32x4.add(acc1, i32x4.extend_high_i16x8_s(p0));
    acc2 = i32x4.add(acc2, i32x4.extend_low_i16x8_s(p1));
    acc3 = i32x4.add(acc3, i32x4.extend_high_i16x8_s(p1));
    p0 = i16x8.add(i16x8.mul(v128.load8x8_s(t4 + c), v128.load(wp, 128)), i16x8.mul(v128.load8x8_s(t5 + c), v128.load(wp, 160)));
    p1 = i16x8.add(i16x8.mul(v128.load8x8_s(t4 + c, 8), v128.load(wp, 144)), i16x8.mul(v128.load8x8_s(t5 + c, 8), v128.load(wp, 176)));
    acc0 = i32x4.add(acc0, i32x4.extend_low_i16x8_s(p0));
    acc1 = i32x4.add(acc1, i32x4.extend_high_i16x8_s(p0));
    acc2 = i32x4.add(acc2, i32x4.extend_low_i16x8_s(p1));
    acc3 = i32x4.add(acc3, i32x4.extend_high_i16x8_s(p1));
    p0 = i16x8.add(i16x8.mul(v128.load8x8_s(t6 + c), v128.load(wp, 192)), i16x8.mul(v128.load8x8_s(t7 + c), v128.load(wp, 224)));
    p1 = i16x8.add(i16x8.mul(v128.load8x8_s(t6 + c, 8), v128.load(wp, 208)), i16x8.mul(v128.load8x8_s(t7 + c, 8), v128.load(wp, 240)));
    acc0 = i32x4.add(acc0, i32x4.extend_low_i16x8_s(p0));
    acc1 = i32x4.add(acc1, i32x4.extend_high_i16x8_s(p0));
    acc2 = i32x4.add(acc2, i32x4.extend_low_i16x8_s(p1));
    acc3 = i32x4.add(acc3, i32x4.extend_high_i16x8_s(p1));
    p0 = i16x8.mul(v128.load8x8_s(t8 + c), v128.load(wp, 256));
    p1 = i16x8.mul(v128.load8x8_s(t8 + c, 8), v128.load(wp, 272));
    acc0 = i32x4.add(acc0, i32x4.extend_low_i16x8_s(p0));
    acc1 = i32x4.add(acc1, i32x4.extend_high_i16x8_s(p0));
    acc2 = i32x4.add(acc2, i32x4.extend_low_i16x8_s(p1));
    acc3 = i32x4.add(acc3, i32x4.extend_high_i16x8_s(p1));
    const params = block + 64;
    storeClampedInt8x16(
      out + c,
      requantize4(acc0, params, 16, 0, zeroPoint, low, high),
      requantize4(acc1, params, 16, 4, zeroPoint, low, high),
      requantize4(acc2, params, 16, 8, zeroPoint, low, high),
      requantize4(acc3, params, 16, 12, zeroPoint, low, high),
      channels - cb,
      min8,
      max8,
    );
    block += blockBytes;
  }
}

// 3×3, dilation 1, multiplier 1, any stride and padding: one output row. Kernel row ky reads
// from `start + ox·step + kx·tap`, which for a row in the padding is the zero-point pixel with
// step = tap = 0, so interior columns take their nine tap addresses from three row addresses
// without selects: the generic kernel wrote and reread nine checked addresses a pixel, which on
// 32 channels cost about as much as a channel block's arithmetic. Edge columns (a tap left or
// right of the image) take the zero-point pixel for those taps.
function int8DwconvRow3x3(
  image: usize,
  iy0: i32,
  inHeight: i32,
  inWidth: i32,
  channels: i32,
  strideWidth: i32,
  padLeft: i32,
  outWidth: i32,
  w: usize,
  out: usize,
  zero: usize,
  zeroPoint: v128,
  low: v128,
  high: v128,
  min8: v128,
  max8: v128,
): void {
  const pixelBytes = <usize>channels;
  const step = <usize>strideWidth * pixelBytes;
  // Wrapping usize arithmetic: a start before the image is only read at interior columns, past it.
  const inside0 = iy0 >= 0 && iy0 < inHeight;
  const inside1 = iy0 + 1 >= 0 && iy0 + 1 < inHeight;
  const inside2 = iy0 + 2 >= 0 && iy0 + 2 < inHeight;
  const start0 = inside0 ? image + (<usize>iy0 * <usize>inWidth - <usize>padLeft) * pixelBytes : zero;
  const start1 = inside1 ? image + (<usize>(iy0 + 1) * <usize>inWidth - <usize>padLeft) * pixelBytes : zero;
  const start2 = inside2 ? image + (<usize>(iy0 + 2) * <usize>inWidth - <usize>padLeft) * pixelBytes : zero;
  const step0 = inside0 ? step : 0;
  const step1 = inside1 ? step : 0;
  const step2 = inside2 ? step : 0;
  const tap0 = inside0 ? pixelBytes : 0;
  const tap1 = inside1 ? pixelBytes : 0;
  const tap2 = inside2 ? pixelBytes : 0;
  // Interior columns: ox·stride − padLeft ≥ 0 and ox·stride − padLeft + 2 < inWidth.
  const first = min(outWidth, (padLeft + strideWidth - 1) / strideWidth);
  const last = max(first, min(outWidth, inWidth - 3 + padLeft >= 0 ? (inWidth - 3 + padLeft) / strideWidth + 1 : 0));
  for (let ox = 0; ox < outWidth; ox++) {
    const o = <usize>ox;
    const a0 = start0 + o * step0;
    const a1 = start1 + o * step1;
    const a2 = start2 + o * step2;
    const pixel = out + o * pixelBytes;
    if (ox >= first && ox < last) {
      pixel3x3(a0, a0 + tap0, a0 + 2 * tap0, a1, a1 + tap1, a1 + 2 * tap1, a2, a2 + tap2, a2 + 2 * tap2, channels, w, pixel, zeroPoint, low, high, min8, max8);
    } else {
      const ix = ox * strideWidth - padLeft;
      const left = ix >= 0 && ix < inWidth;
      const middle = ix + 1 >= 0 && ix + 1 < inWidth;
      const right = ix + 2 >= 0 && ix + 2 < inWidth;
      pixel3x3(
        left ? a0 : zero, middle ? a0 + tap0 : zero, right ? a0 + 2 * tap0 : zero,
        left ? a1 : zero, middle ? a1 + tap1 : zero, right ? a1 + 2 * tap1 : zero,
        left ? a2 : zero, middle ? a2 + tap2 : zero, right ? a2 + 2 * tap2 : zero,
        channels, w, pixel, zeroPoint, low, high, min8, max8,
      );
    }
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
  // Up to 32 channels (two blocks), where the nine-address table costs as much as the arithmetic:
  // 112×112×32 s1 alone, 1 thread, interleaved at load ~10, 0.83-0.84 → 0.68-0.72 ms min. With more
  // blocks the table is amortised and the nine address registers spill in the block loop: 28×28×256
  // 0.31 → 0.34, 14×14×512 0.17 → 0.19; 64 and 128 channels about even.
  if (kernelHeight == 3 && kernelWidth == 3 && dilationHeight == 1 && dilationWidth == 1 && multiplier == 1 && channels <= 2 * TILE) {
    int8DwconvRow3x3(image, iy0, inHeight, inWidth, <i32>channels, strideWidth, padLeft, outWidth, w, out, zero, zeroPoint, low, high, min8, max8);
    return;
  }
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
