// Element-wise add/sub/mul/div with the broadcasts MobileNets use, then the activation. The
// result is viewed as [images, pixels, channels] rows of `channels` floats; each operand's
// element (b, p, c) is at base + b·imageStride + p·pixelStride + c·channelStride (in floats),
// which covers equal shapes (pixels·channels, channels, 1), a per-channel vector (0, 0, 1),
// squeeze-and-excitation's [N, 1, 1, C] (channels, 0, 1) and a scalar (0, 0, 0).
// src/kernels/wasm-binary.ts classifies the operands; other broadcasts run the reference loop.
// Job slots: X = a, W = b, Y = result; BATCH images, IN_HEIGHT pixels, IN_CHANNELS channels;
// a's strides at STRIDE_HEIGHT/STRIDE_WIDTH/DILATION_HEIGHT (image, pixel, channel), b's at
// DILATION_WIDTH/PAD_TOP/PAD_LEFT; the op (J.BINARY_*) at KERNEL_HEIGHT; the activation at
// CLAMP_LOW/CLAMP_HIGH/EPILOGUE.
// Legend: r row (image·pixels + pixel), c channel.
import { activateSpan } from './activation';
import * as J from './job';
import { storeLanes } from './simd';

@inline function combine(a: v128, b: v128, op: i32): v128 {
  if (op == J.BINARY_ADD) return f32x4.add(a, b);
  if (op == J.BINARY_SUB) return f32x4.sub(a, b);
  if (op == J.BINARY_MUL) return f32x4.mul(a, b);
  return f32x4.div(a, b);
}

// One row of `channels`: a and b step one float per channel or stay (a scalar, splatted).
@inline function row(a: usize, aStep: i32, b: usize, bStep: i32, y: usize, channels: i32, op: i32): void {
  let c = 0;
  for (; c + 4 <= channels; c += 4) {
    const offset = <usize>c << 2;
    const av = aStep == 0 ? v128.load32_splat(a) : v128.load(a + offset);
    const bv = bStep == 0 ? v128.load32_splat(b) : v128.load(b + offset);
    v128.store(y + offset, combine(av, bv, op));
  }
  if (c < channels) {
    // Loads past the row's end stay inside the allocation's 64-byte slack (src/heap.ts).
    const offset = <usize>c << 2;
    const av = aStep == 0 ? v128.load32_splat(a) : v128.load(a + offset);
    const bv = bStep == 0 ? v128.load32_splat(b) : v128.load(b + offset);
    storeLanes(y + offset, combine(av, bv, op), channels - c);
  }
}

@inline function rowsWith(job: usize, start: i32, end: i32, op: i32): void {
  const a = J.getp(job, J.X);
  const b = J.getp(job, J.W);
  const y = J.getp(job, J.Y);
  const pixels = J.geti(job, J.IN_HEIGHT);
  const channels = J.geti(job, J.IN_CHANNELS);
  const aImage = <usize>J.geti(job, J.STRIDE_HEIGHT) << 2;
  const aPixel = <usize>J.geti(job, J.STRIDE_WIDTH) << 2;
  const aStep = J.geti(job, J.DILATION_HEIGHT);
  const bImage = <usize>J.geti(job, J.DILATION_WIDTH) << 2;
  const bPixel = <usize>J.geti(job, J.PAD_TOP) << 2;
  const bStep = J.geti(job, J.PAD_LEFT);
  const low = J.getf(job, J.CLAMP_LOW);
  const high = J.getf(job, J.CLAMP_HIGH);
  const mode = J.geti(job, J.EPILOGUE);
  // Linear: no second pass. Otherwise the row is activated while it is still in L1.
  const activated = mode != J.EPILOGUE_CLAMP || low != -Infinity || high != Infinity;
  const rowBytes = <usize>channels << 2;
  for (let r = start; r < end; r++) {
    const image = r / pixels;
    const pixel = <usize>(r - image * pixels);
    const ar = a + <usize>image * aImage + pixel * aPixel;
    const br = b + <usize>image * bImage + pixel * bPixel;
    const yr = y + <usize>r * rowBytes;
    // Specialised per stride pattern: a branch per vector would cost more than the arithmetic.
    if (aStep != 0 && bStep != 0) row(ar, 1, br, 1, yr, channels, op);
    else if (aStep == 0) row(ar, 0, br, 1, yr, channels, op);
    else row(ar, 1, br, 0, yr, channels, op);
    if (activated) activateSpan(yr, yr, channels, low, high, mode);
  }
}

// Rows [start, end) of the result.
export function binary(job: usize, start: i32, end: i32): void {
  const op = J.geti(job, J.KERNEL_HEIGHT);
  if (op == J.BINARY_ADD) rowsWith(job, start, end, J.BINARY_ADD);
  else if (op == J.BINARY_SUB) rowsWith(job, start, end, J.BINARY_SUB);
  else if (op == J.BINARY_MUL) rowsWith(job, start, end, J.BINARY_MUL);
  else rowsWith(job, start, end, J.BINARY_DIV);
}
