// int8 multiplication, bit for bit as TensorFlow Lite's reference `MUL` (the one in
// @sepconv/tensor/reference):
//   y = clamp(outputZeroPoint + MultiplyByQuantizedMultiplier((a − aZeroPoint)·(b − bZeroPoint), M, shift), min, max)
// The shifted operands fit int16 (|q − zp| ≤ 255) and their product int32, so each 16 lanes are
// two widenings, a subtraction and i32x4.extmul per quarter, then assembly/int8-requantize.ts's
// requantize4 over a uniform block (int8-add.ts's writeUniformRequantization).
// Broadcasting as src/kernels/wasm-int8-mul.ts lays it out: `a` is full and read flat as rows of
// ROW_LENGTH elements (the last row may be shorter: SIZE elements in all); the `b` of row r starts
// at (r / ROWS_PER_B) · B_ROW_STRIDE and advances B_STEP (1, or 0 for a scalar) per element.
// That covers equal shapes (long rows), squeeze-and-excitation's [N, H, W, C] · [N, 1, 1, C]
// (rows of C, H·W rows per gate), a channel vector and a scalar.
// Job slots: X = a, W = b, Y = result; SIZE = batch, ROW_LENGTH = inChannels,
// ROWS_PER_B = inHeight, B_ROW_STRIDE = inWidth, B_STEP = outChannels (the layout slots
// int8-add.ts reads too); zero points at
// strideHeight (a) and strideWidth (b); M and shift at kernelHeight and kernelWidth; the output
// zero point and clamp at OUTPUT_ZERO_POINT / ACTIVATION_MIN / ACTIVATION_MAX.
// Scratch: one packed requantization block (4 × 24 bytes).
// Legend: r row, j element of the row (a multiple of 16 except at its end).
import * as J from './job';
import { writeUniformRequantization } from './int8-add';
import { requantize4, storeInt8x16 } from './int8-requantize';

// Sixteen int8 lanes less a zero point, as two i16x8 halves.
@inline function low16(v: v128, zeroPoint: v128): v128 {
  return i16x8.sub(i16x8.extend_low_i8x16_s(v), zeroPoint);
}
@inline function high16(v: v128, zeroPoint: v128): v128 {
  return i16x8.sub(i16x8.extend_high_i8x16_s(v), zeroPoint);
}

// Rows [start, end) of the result.
export function int8Mul(job: usize, start: i32, end: i32, scratch: usize): void {
  const a = J.getp(job, J.X);
  const b = J.getp(job, J.W);
  const y = J.getp(job, J.Y);
  const size = J.geti(job, J.BATCH);
  const rowLength = J.geti(job, J.IN_CHANNELS);
  const rowsPerB = J.geti(job, J.IN_HEIGHT);
  const bRowStride = J.geti(job, J.IN_WIDTH);
  const bStep = J.geti(job, J.OUT_CHANNELS);
  const params = scratch;
  writeUniformRequantization(params, J.geti(job, J.KERNEL_HEIGHT), J.geti(job, J.KERNEL_WIDTH));
  const aZeroPoint = i16x8.splat(<i16>J.geti(job, J.STRIDE_HEIGHT));
  const bZeroPoint = i16x8.splat(<i16>J.geti(job, J.STRIDE_WIDTH));
  const outZeroPoint = J.geti(job, J.OUTPUT_ZERO_POINT);
  const zeroPoint = i32x4.splat(outZeroPoint);
  const low = i32x4.splat(J.geti(job, J.ACTIVATION_MIN) - outZeroPoint);
  const high = i32x4.splat(J.geti(job, J.ACTIVATION_MAX) - outZeroPoint);
  for (let r = start; r < end; r++) {
    const rowStart = r * rowLength;
    const count = min(rowLength, size - rowStart);
    const aRow = a + <usize>rowStart;
    const yRow = y + <usize>rowStart;
    const bRow = b + <usize>((r / rowsPerB) * bRowStride);
    const scalar = i8x16.splat(load<i8>(bRow));
    for (let j = 0; j < count; j += 16) {
      // Loads past the end stay inside the allocation's 64-byte slack (src/heap.ts).
      const av = v128.load(aRow + <usize>j);
      const bv = bStep ? v128.load(bRow + <usize>j) : scalar;
      const aLow = low16(av, aZeroPoint);
      const aHigh = high16(av, aZeroPoint);
      const bLow = low16(bv, bZeroPoint);
      const bHigh = high16(bv, bZeroPoint);
      const q0 = requantize4(i32x4.extmul_low_i16x8_s(aLow, bLow), params, 4, 0, zeroPoint, low, high);
      const q1 = requantize4(i32x4.extmul_high_i16x8_s(aLow, bLow), params, 4, 0, zeroPoint, low, high);
      const q2 = requantize4(i32x4.extmul_low_i16x8_s(aHigh, bHigh), params, 4, 0, zeroPoint, low, high);
      const q3 = requantize4(i32x4.extmul_high_i16x8_s(aHigh, bHigh), params, 4, 0, zeroPoint, low, high);
      storeInt8x16(yRow + <usize>j, q0, q1, q2, q3, count - j);
    }
  }
}
