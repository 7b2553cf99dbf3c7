// Fused separable convolution: for each output row, the depthwise step writes that row
// (outWidth × channels, a few KiB) into the thread's scratch, and the pointwise GEMM reads it
// back while it is still in L1, instead of a whole intermediate tensor making a round trip
// through memory.
import { dwRow3x3s1, dwRow3x3s2, dwRowGeneric } from './dwconv';
import { gemmRows, MR } from './gemm';
import * as J from './job';

export function sepconvFused(job: usize, start: i32, end: i32, scratch: usize): void {
  const y = J.getp(job, J.Y);
  const outHeight = J.geti(job, J.OUT_HEIGHT);
  const outWidth = J.geti(job, J.OUT_WIDTH);
  const channels = J.geti(job, J.IN_CHANNELS) * J.geti(job, J.MULTIPLIER);
  const n = J.geti(job, J.POINTWISE_CHANNELS);
  const w = J.getp(job, J.POINTWISE_W);
  const depthwise = J.geti(job, J.DEPTHWISE_KERNEL);
  const low = J.getf(job, J.POINTWISE_CLAMP_LOW);
  const high = J.getf(job, J.POINTWISE_CLAMP_HIGH);
  const ind = scratch;
  const row = scratch + (<usize>MR << 2) + 64;
  const outRowBytes = <usize>outWidth * <usize>n << 2;
  for (let r = start; r < end; r++) {
    const b = r / outHeight;
    const oy = r - b * outHeight;
    if (depthwise == J.DWCONV_3X3S1) dwRow3x3s1(job, b, oy, row);
    else if (depthwise == J.DWCONV_3X3S2) dwRow3x3s2(job, b, oy, row);
    else dwRowGeneric(job, b, oy, 0, outWidth, row);
    gemmRows(row, <usize>channels << 2, 0, outWidth, channels, w, n, y + <usize>r * outRowBytes, low, high, ind);
  }
}
