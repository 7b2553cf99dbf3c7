// Fused separable convolution: for each output row (or group of rows), the depthwise step
// writes that row (outWidth × channels, a few KiB) into the thread's scratch, and the pointwise GEMM reads it
// back while it is still in L1, instead of a whole intermediate tensor making a round trip
// through memory.
import { activateSpan } from './activation';
import { dwRow } from './dwconv';
import { gemmRows, MR } from './gemm';
import * as J from './job';

function gcd(a: i32, b: i32): i32 {
  while (b != 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

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
  const depthwiseEpilogue = J.geti(job, J.EPILOGUE);
  const pointwiseEpilogue = J.geti(job, J.POINTWISE_EPILOGUE);
  const residual = J.getp(job, J.RESIDUAL);
  const ind = scratch;
  const row = scratch + (<usize>MR << 2) + 64;
  const outRowBytes = <usize>outWidth * <usize>n << 2;
  // Rows in groups whose pixel count is a multiple of MR: MR / gcd(outWidth, MR) rows (the same
  // rule as fusedRowGroup in src/kernels/wasm-separable-conv2d.ts, which sizes the scratch).
  // With a 6-row tile, 112-pixel rows one at a time left a 4-row tile padded to 6 per row, and
  // the fused kernel ran 5% slower than depthwise then pointwise.
  const group = MR / gcd(outWidth, MR);
  const midRowBytes = <usize>outWidth * <usize>channels << 2;
  const totalRows = J.geti(job, J.BATCH) * outHeight;
  // A share counts row groups, whole before SLICED_GROUP, then (group, output-channel slice)
  // pairs: where row groups do not share evenly among threads (14×14 has 7, 7×7 two of 4 and 3
  // rows) threads also split the last groups' pointwise outputs, each thread running such a
  // group's depthwise rows itself (once for consecutive slices of one group).
  const slices = max(1, J.geti(job, J.COLUMN_SLICES));
  const sliced = slices > 1 ? J.geti(job, J.SLICED_GROUP) : 0x7fffffff;
  const panels = (n + 7) >> 3;
  let staged = -1;
  for (let unit = start; unit < end; unit++) {
    let groupIndex = unit;
    let slice = 0;
    let sliceCount = 1;
    if (unit >= sliced) {
      const k = unit - sliced;
      groupIndex = sliced + k / slices;
      slice = k - (groupIndex - sliced) * slices;
      sliceCount = slices;
    }
    const r0 = groupIndex * group;
    const rows = min(group, totalRows - r0);
    if (groupIndex != staged) {
      for (let i = 0; i < rows; i++) {
        const r = r0 + i;
        const b = r / outHeight;
        const oy = r - b * outHeight;
        const mid = row + <usize>i * midRowBytes;
        dwRow(job, depthwise, b, oy, mid);
        if (depthwiseEpilogue != J.EPILOGUE_CLAMP) activateSpan(mid, mid, outWidth * channels, -Infinity, Infinity, depthwiseEpilogue);
      }
      staged = groupIndex;
    }
    const y0 = y + <usize>r0 * outRowBytes;
    const r = residual != 0 ? residual + <usize>r0 * outRowBytes : 0;
    gemmRows(row, <usize>channels << 2, 0, rows * outWidth, channels, w, n, y0, low, high, ind, pointwiseEpilogue, sliceStart(slice, sliceCount, panels), sliceStart(slice + 1, sliceCount, panels), r);
  }
}

// First panel of slice `slice` of `slices`: an even panel (16 channels, 64 bytes of a row), so
// two threads never write one cache line of the output.
@inline function sliceStart(slice: i32, slices: i32, panels: i32): i32 {
  return slice >= slices ? panels : ((panels * slice) / slices) & ~1;
}
