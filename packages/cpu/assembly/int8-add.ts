// int8 addition (MobileNetV2's residual adds, a constant offset, a broadcast row), bit for bit as
// TensorFlow Lite's reference `ADD` (the one in @sepconv/tensor/reference):
//   aScaled = MultiplyByQuantizedMultiplier((a − aZeroPoint) · 2^leftShift, aMultiplier, aShift)
//   bScaled = the same for b
//   y       = clamp(outputZeroPoint + MultiplyByQuantizedMultiplier(aScaled + bScaled, …), min, max)
// Each MultiplyByQuantizedMultiplier is assembly/int8-requantize.ts's requantize4 (the arithmetic
// is derived there), fed from a block of per-tensor constants this kernel writes into its scratch
// in the packed layout with all four lanes equal; the operands' requantizations clamp to the whole
// int32 range and add 0, so they are the plain multiplication.
// src/kernels/wasm-int8-add.ts checks that (a − aZeroPoint) · 2^leftShift fits int32.
// Broadcasting as src/kernels/int8-broadcast-layout.ts lays it out (int8-mul.ts walks the same
// rows): `a` is full and read flat as rows of ROW_LENGTH elements (SIZE in all); the `b` of row
// r starts at (r / ROWS_PER_B) · B_ROW_STRIDE and advances B_STEP (1, or 0 for a scalar) per element.
// Job slots: X = a, W = b, Y = result (int8); SIZE = batch, ROW_LENGTH = inChannels,
// ROWS_PER_B = inHeight, B_ROW_STRIDE = inWidth, B_STEP = outChannels; the per-tensor integers in
// the slots named in src/kernels/wasm-int8-add.ts; the output zero point and clamp at
// OUTPUT_ZERO_POINT / ACTIVATION_MIN / ACTIVATION_MAX.
// Legend: r row, j element of the row (a multiple of 16 except at its end).
import * as J from './job';
import { requantize4, storeInt8x16 } from './int8-requantize';

// One packed requantization block of four channels (4 × 24 bytes).
const BLOCK: usize = 4 * 24;

// Writes multiplier/shift as a packed requantization block of four equal channels at `p` (int8-mul.ts too)
// (the layout and formulas of src/pack/pack-int8-requantization.ts).
export function writeUniformRequantization(p: usize, multiplier: i32, shift: i32): void {
  const e = shift < 0 ? -shift : 0;
  const leftMul = shift > 0 ? 1 << shift : 1;
  const rightMul = <u32>1 << <u32>(31 - e);
  const half: i64 = e > 0 ? <i64>1 << <i64>(e - 1) : 0;
  const offset = (half - (<i64>1 << 31)) * <i64>rightMul;
  v128.store(p, i32x4.splat(leftMul));
  v128.store(p, i32x4.splat(multiplier), 16);
  v128.store(p, i32x4.splat(e > 0 ? -1 : 0), 32);
  v128.store(p, i32x4.splat(<i32>rightMul), 48);
  v128.store(p, i64x2.splat(offset), 64);
  v128.store(p, i64x2.splat(offset), 80);
}

// The four int32 lanes of (x − zeroPoint) · 2^leftShift requantized by the block at `params`.
@inline function scaled(x: v128, zeroPoint: v128, leftMul: v128, params: usize, whole: v128, wholeHigh: v128, zero: v128): v128 {
  return requantize4(i32x4.mul(i32x4.sub(x, zeroPoint), leftMul), params, 4, 0, zero, whole, wholeHigh);
}

// Rows [start, end) of the result.
export function int8Add(job: usize, start: i32, end: i32, scratch: usize): void {
  const a = J.getp(job, J.X);
  const b = J.getp(job, J.W);
  const y = J.getp(job, J.Y);
  const aParams = scratch;
  const bParams = scratch + BLOCK;
  const outParams = scratch + 2 * BLOCK;
  writeUniformRequantization(aParams, J.geti(job, J.STRIDE_WIDTH), J.geti(job, J.DILATION_HEIGHT));
  writeUniformRequantization(bParams, J.geti(job, J.PAD_TOP), J.geti(job, J.PAD_LEFT));
  writeUniformRequantization(outParams, J.geti(job, J.KERNEL_HEIGHT), J.geti(job, J.KERNEL_WIDTH));
  const aZeroPoint = i32x4.splat(J.geti(job, J.STRIDE_HEIGHT));
  const bZeroPoint = i32x4.splat(J.geti(job, J.DILATION_WIDTH));
  const leftMul = i32x4.splat(1 << J.geti(job, J.MULTIPLIER));
  const outZeroPoint = J.geti(job, J.OUTPUT_ZERO_POINT);
  const zeroPoint = i32x4.splat(outZeroPoint);
  const low = i32x4.splat(J.geti(job, J.ACTIVATION_MIN) - outZeroPoint);
  const high = i32x4.splat(J.geti(job, J.ACTIVATION_MAX) - outZeroPoint);
  const zero = i32x4.splat(0);
  const whole = i32x4.splat(i32.MIN_VALUE);
  const wholeHigh = i32x4.splat(i32.MAX_VALUE);
  const size = J.geti(job, J.BATCH);
  const rowLength = J.geti(job, J.IN_CHANNELS);
  const rowsPerB = J.geti(job, J.IN_HEIGHT);
  const bRowStride = J.geti(job, J.IN_WIDTH);
  const bStep = J.geti(job, J.OUT_CHANNELS);
  for (let r = start; r < end; r++) {
    const rowStart = r * rowLength;
    const count = min(rowLength, size - rowStart);
    const bRow = b + <usize>((r / rowsPerB) * bRowStride);
    const scalar = i8x16.splat(load<i8>(bRow));
    for (let j = 0; j < count; j += 16) {
      addSixteen(a + <usize>(rowStart + j), bStep ? v128.load(bRow + <usize>j) : scalar, y + <usize>(rowStart + j), count - j,
        aZeroPoint, bZeroPoint, leftMul, aParams, bParams, outParams, zeroPoint, low, high, whole, wholeHigh, zero);
    }
  }
}

// Sixteen results (the first `count` stored) of a at `aAt` and the lanes `bv`.
@inline function addSixteen(aAt: usize, bv: v128, yAt: usize, count: i32, aZeroPoint: v128, bZeroPoint: v128, leftMul: v128,
    aParams: usize, bParams: usize, outParams: usize, zeroPoint: v128, low: v128, high: v128, whole: v128, wholeHigh: v128, zero: v128): void {
  // Loads past the end stay inside the allocation's 64-byte slack (src/heap.ts).
  const av = v128.load(aAt);
  const aLow = i16x8.extend_low_i8x16_s(av);
  const aHigh = i16x8.extend_high_i8x16_s(av);
  const bLow = i16x8.extend_low_i8x16_s(bv);
  const bHigh = i16x8.extend_high_i8x16_s(bv);
  const s0 = i32x4.add(
    scaled(i32x4.extend_low_i16x8_s(aLow), aZeroPoint, leftMul, aParams, whole, wholeHigh, zero),
    scaled(i32x4.extend_low_i16x8_s(bLow), bZeroPoint, leftMul, bParams, whole, wholeHigh, zero),
  );
  const s1 = i32x4.add(
    scaled(i32x4.extend_high_i16x8_s(aLow), aZeroPoint, leftMul, aParams, whole, wholeHigh, zero),
    scaled(i32x4.extend_high_i16x8_s(bLow), bZeroPoint, leftMul, bParams, whole, wholeHigh, zero),
  );
  const s2 = i32x4.add(
    scaled(i32x4.extend_low_i16x8_s(aHigh), aZeroPoint, leftMul, aParams, whole, wholeHigh, zero),
    scaled(i32x4.extend_low_i16x8_s(bHigh), bZeroPoint, leftMul, bParams, whole, wholeHigh, zero),
  );
  const s3 = i32x4.add(
    scaled(i32x4.extend_high_i16x8_s(aHigh), aZeroPoint, leftMul, aParams, whole, wholeHigh, zero),
    scaled(i32x4.extend_high_i16x8_s(bHigh), bZeroPoint, leftMul, bParams, whole, wholeHigh, zero),
  );
  storeInt8x16(
    yAt,
    requantize4(s0, outParams, 4, 0, zeroPoint, low, high),
    requantize4(s1, outParams, 4, 0, zeroPoint, low, high),
    requantize4(s2, outParams, 4, 0, zeroPoint, low, high),
    requantize4(s3, outParams, 4, 0, zeroPoint, low, high),
    min(16, count),
  );
}
