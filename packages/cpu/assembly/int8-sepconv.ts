// Fused int8 separable convolution: for each output row (or group of rows), the depthwise step
// writes that row, requantized to int8 exactly as the separate op would, into the thread's
// scratch, and the pointwise GEMM reads it back while it is still in L1 — the same integers as
// the two ops in turn, without the intermediate tensor's round trip through memory.
import { int8DwconvRow } from './int8-dwconv';
import { boundVector, clampVector, int8GemmRows, QMR, zeroPointVector } from './int8-gemm';
import * as J from './job';

// Scratch layout (src/kernels/wasm-int8-separable-conv2d.ts sizes it): QMR row pointers, one
// pointer per depthwise tap, then from the next 64-byte boundary a group of intermediate rows,
// 64 bytes of slack (the GEMM reads 8 channels at a time), then the GEMM's activation panel
// from the next 64-byte boundary.
@inline export function int8SepconvMiddleOffset(taps: i32): usize {
  return (<usize>(QMR + taps) * 4 + 63) & ~63;
}

export function int8SepconvFused(job: usize, start: i32, end: i32, scratch: usize): void {
  const y = J.getp(job, J.Y);
  const outHeight = J.geti(job, J.OUT_HEIGHT);
  const outWidth = J.geti(job, J.OUT_WIDTH);
  const multiplier = J.geti(job, J.MULTIPLIER);
  const channels = J.geti(job, J.IN_CHANNELS) * multiplier;
  const taps = J.geti(job, J.KERNEL_HEIGHT) * J.geti(job, J.KERNEL_WIDTH);
  const w = J.getp(job, J.W);
  const n = J.geti(job, J.POINTWISE_CHANNELS);
  const pointwiseW = J.getp(job, J.POINTWISE_W);
  const zeroPoint = zeroPointVector(job, J.POINTWISE_OUTPUT_ZERO_POINT);
  const low = boundVector(job, J.POINTWISE_OUTPUT_ZERO_POINT, J.POINTWISE_ACTIVATION_MIN);
  const high = boundVector(job, J.POINTWISE_OUTPUT_ZERO_POINT, J.POINTWISE_ACTIVATION_MAX);
  const min8 = clampVector(job, J.POINTWISE_ACTIVATION_MIN);
  const max8 = clampVector(job, J.POINTWISE_ACTIVATION_MAX);
  const ind = scratch;
  const pointers = scratch + (<usize>QMR << 2);
  const middle = scratch + int8SepconvMiddleOffset(taps);
  const rowBytes = <usize>outWidth * <usize>channels;
  // Rows in groups whose pixel count is a multiple of QMR where a few rows allow it (the same
  // rule as fusedInt8RowGroup in src/kernels/wasm-int8-separable-conv2d.ts, which sizes the scratch).
  const group = outWidth % 4 == 0 ? 1 : outWidth % 2 == 0 ? 2 : 4;
  const panel = scratch + ((int8SepconvMiddleOffset(taps) + <usize>group * rowBytes + 64 + 63) & ~63);
  for (let r0 = start; r0 < end; r0 += group) {
    const rows = min(group, end - r0);
    for (let i = 0; i < rows; i++) {
      const r = r0 + i;
      const b = r / outHeight;
      int8DwconvRow(job, b, r - b * outHeight, taps, outWidth, channels, multiplier, w, middle + <usize>i * rowBytes, pointers);
    }
    int8GemmRows(middle, <usize>channels, 0, rows * outWidth, channels, pointwiseW, n, y + <usize>r0 * <usize>outWidth * <usize>n, zeroPoint, low, high, min8, max8, ind, panel);
  }
}
