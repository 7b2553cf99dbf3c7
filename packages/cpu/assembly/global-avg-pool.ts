// Global average pooling, NHWC [batch, pixels, channels] → [batch, channels]: each channel's
// mean over the image, summed in float64 (f64x2) as the reference does, so that a 112×112
// image's mean does not drift by the float32 rounding of 12,544 additions. Sixteen channels
// (one 64-byte cache line) per pass over the pixels, in eight f64x2 accumulators.
// Job slots: X, Y; BATCH images, IN_HEIGHT pixels, IN_CHANNELS channels. Work is split over
// units of (image, 16-channel group).
// Legend: u unit, p pixel, c channel.
import * as J from './job';

@inline function addLow(acc: v128, v: v128): v128 {
  return f64x2.add(acc, f64x2.promote_low_f32x4(v));
}

@inline function addHigh(acc: v128, v: v128): v128 {
  return f64x2.add(acc, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
}

// Divides (not multiplies by 1 / pixels) so the float64 mean is the reference's, bit for bit.
@inline function storeMean(y: usize, lo: v128, hi: v128, count: f64): void {
  const d = f64x2.splat(count);
  const a = f32x4.demote_f64x2_zero(f64x2.div(lo, d));
  const b = f32x4.demote_f64x2_zero(f64x2.div(hi, d));
  v128.store(y, v128.shuffle<f32>(a, b, 0, 1, 4, 5));
}

// Sixteen channels at `x` (pixel stride `pixelBytes`) into `y`.
function group16(x: usize, pixelBytes: usize, pixels: i32, y: usize, count: f64): void {
  let a0 = f64x2.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  let a4 = a0;
  let a5 = a0;
  let a6 = a0;
  let a7 = a0;
  let p = x;
  for (let i = 0; i < pixels; i++) {
    const v0 = v128.load(p);
    const v1 = v128.load(p, 16);
    const v2 = v128.load(p, 32);
    const v3 = v128.load(p, 48);
    a0 = addLow(a0, v0);
    a1 = addHigh(a1, v0);
    a2 = addLow(a2, v1);
    a3 = addHigh(a3, v1);
    a4 = addLow(a4, v2);
    a5 = addHigh(a5, v2);
    a6 = addLow(a6, v3);
    a7 = addHigh(a7, v3);
    p += pixelBytes;
  }
  storeMean(y, a0, a1, count);
  storeMean(y + 16, a2, a3, count);
  storeMean(y + 32, a4, a5, count);
  storeMean(y + 48, a6, a7, count);
}

// The last `channels` (< 16) channels, one at a time.
function tail(x: usize, pixelBytes: usize, pixels: i32, y: usize, channels: i32, count: f64): void {
  for (let c = 0; c < channels; c++) {
    let sum: f64 = 0;
    let p = x + (<usize>c << 2);
    for (let i = 0; i < pixels; i++) {
      sum += <f64>load<f32>(p);
      p += pixelBytes;
    }
    store<f32>(y + (<usize>c << 2), <f32>(sum / count));
  }
}

// Units [start, end): unit u is image u / groups, channels [16·(u % groups), +16).
export function globalAvgPool(job: usize, start: i32, end: i32): void {
  const x = J.getp(job, J.X);
  const y = J.getp(job, J.Y);
  const pixels = J.geti(job, J.IN_HEIGHT);
  const channels = J.geti(job, J.IN_CHANNELS);
  const groups = (channels + 15) >> 4;
  const pixelBytes = <usize>channels << 2;
  const count = <f64>pixels;
  for (let u = start; u < end; u++) {
    const image = u / groups;
    const c0 = (u - image * groups) << 4;
    const xi = x + <usize>image * <usize>pixels * pixelBytes + (<usize>c0 << 2);
    const yi = y + (<usize>(image * channels + c0) << 2);
    if (channels - c0 >= 16) group16(xi, pixelBytes, pixels, yi, count);
    else tail(xi, pixelBytes, pixels, yi, channels - c0, count);
  }
}
