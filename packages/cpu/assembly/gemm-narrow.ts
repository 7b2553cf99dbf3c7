// Pointwise GEMM for few input channels, the narrow-K class of MobileNet pointwise layers
// (V1's 112×112 32→64; V2's and V3's expansions 16→96, 24→144, 16→64, 24→72, 40→120, 40→240),
// where a tile has only 16–48 multiply-add steps and what a tile does besides them weighs.
// The tile is gemm.ts's — 4 rows × 8 output channels, eight f32x4 accumulators over one panel
// of src/pack/pack-gemm.ts's format — and so is the job; what differs:
// - Each 4-row tile's inputs are first interleaved into the thread's scratch as [kc][4]
//   (packRows), once for all the panels the tile then sweeps. The k loop reads a step's four
//   inputs at one pointer with constant offsets: per step 6 loads, 8 multiply-adds, 2 pointer
//   increments and a compare-and-branch on a register (17 instructions in TurboFan's x64 code),
//   where gemm.ts's loop has 5 increments (4 row pointers, the weights), a step counter and a
//   compare against a stack slot (21), and a panel's tile starts from one pointer instead of
//   four loaded from an indirection list. Measured 1 thread, relaxed SIMD, best of 40
//   interleaved against gemm.ts: 112×112 16→64 0.556 against 0.623 ms, 16→96 0.799/0.927,
//   56×56 24→144 0.433/0.487, 112×112 32→64 1.019/1.060 (a loaded 2-core Zen 5; src/variants.ts
//   has the rule and the rest). At 56–64 input channels the two are level, so the gain is in
//   what a tile costs besides its steps more than in the steps; without the interleaving (rows
//   read in place, four row pointers) this kernel measured level with gemm.ts at every K.
// - Whole tiles (4 rows, 8 channels) store with no per-row test; ragged tiles (the last rows, a
//   last panel of fewer than 8 channels) go through edgeTile, a function of its own, and no path
//   of a whole tile calls out: a first version of this kernel whose ragged path called a store
//   function from inside the tile had V8 store all eight accumulators to the stack in every
//   tile (a value live across a call on any path is spilled at its definition).
// - The epilogue (the residual add, the clamp, then hard-swish or hard-sigmoid) is applied to the
//   accumulators before the store, in a loop specialised per epilogue, instead of in a second
//   pass over the stored tile (gemm.ts now does the same).
// - The clamp bounds are broadcast from the job record after the k loop, so they hold no vector
//   registers while it runs.
// Kept from gemm.ts: one k step per loop iteration. TurboFan schedules a loop body's loads ahead
// of its multiply-adds, so an unrolled body or a taller tile holds more loaded vectors than the
// 15 registers beside the accumulators allow and spills accumulators in every step: tried here
// on 112×112 32→64, 2, 4 or 8 steps per iteration (4 or 6 rows) ran 1.6–2.4× slower, and with
// one step per iteration a 5-row tile already keeps 2 of its 10 accumulators on the stack
// (node --print-wasm-code shows both); broadcasting the four inputs from one v128 load with
// shuffles instead of four load32_splat measured the same.
// Legend: mr rows of the tile that exist, kc input channels, nc output channels left in the panel.
import { epilogue } from './activation';
import { MR, panelBytes } from './gemm';
import * as J from './job';
import { madd, storeLanes } from './simd';

// The interleaved inputs `pa` ([kc][MR]) times the packed panel `w`, `mode`'s epilogue stored
// into `c` (rows cStride bytes apart). With `edge` false the tile is whole (mr = MR, nc ≥ 8) and
// stores without tests; `mode` and `edge` are constants wherever this is inlined.
@inline function tile(pa: usize, kc: i32, w: usize, c: usize, cStride: usize, dr: usize, bounds: usize, mode: i32, edge: bool, mr: i32, nc: i32): void {
  let acc00 = v128.load(w);
  let acc01 = v128.load(w, 16);
  let acc10 = acc00;
  let acc11 = acc01;
  let acc20 = acc00;
  let acc21 = acc01;
  let acc30 = acc00;
  let acc31 = acc01;
  let wp = w + 32;
  let a = pa;
  const aEnd = pa + (<usize>kc << 4);
  while (a < aEnd) {
    const b0 = v128.load(wp);
    const b1 = v128.load(wp, 16);
    let va = v128.load32_splat(a);
    acc00 = madd(va, b0, acc00);
    acc01 = madd(va, b1, acc01);
    va = v128.load32_splat(a, 4);
    acc10 = madd(va, b0, acc10);
    acc11 = madd(va, b1, acc11);
    va = v128.load32_splat(a, 8);
    acc20 = madd(va, b0, acc20);
    acc21 = madd(va, b1, acc21);
    va = v128.load32_splat(a, 12);
    acc30 = madd(va, b0, acc30);
    acc31 = madd(va, b1, acc31);
    a += 16;
    wp += 32;
  }
  const low = v128.load32_splat(bounds);
  const high = v128.load32_splat(bounds, (J.CLAMP_HIGH - J.CLAMP_LOW) << 2);
  if (!edge) {
    if (dr != 0) {
      acc00 = f32x4.add(acc00, v128.load(c + dr));
      acc01 = f32x4.add(acc01, v128.load(c + dr, 16));
      acc10 = f32x4.add(acc10, v128.load(c + cStride + dr));
      acc11 = f32x4.add(acc11, v128.load(c + cStride + dr, 16));
      acc20 = f32x4.add(acc20, v128.load(c + 2 * cStride + dr));
      acc21 = f32x4.add(acc21, v128.load(c + 2 * cStride + dr, 16));
      acc30 = f32x4.add(acc30, v128.load(c + 3 * cStride + dr));
      acc31 = f32x4.add(acc31, v128.load(c + 3 * cStride + dr, 16));
    }
    v128.store(c, epilogue(acc00, low, high, mode));
    v128.store(c, epilogue(acc01, low, high, mode), 16);
    v128.store(c + cStride, epilogue(acc10, low, high, mode));
    v128.store(c + cStride, epilogue(acc11, low, high, mode), 16);
    v128.store(c + 2 * cStride, epilogue(acc20, low, high, mode));
    v128.store(c + 2 * cStride, epilogue(acc21, low, high, mode), 16);
    v128.store(c + 3 * cStride, epilogue(acc30, low, high, mode));
    v128.store(c + 3 * cStride, epilogue(acc31, low, high, mode), 16);
    return;
  }
  storeRow(c, dr, acc00, acc01, nc, low, high, mode);
  if (mr > 1) storeRow(c + cStride, dr, acc10, acc11, nc, low, high, mode);
  if (mr > 2) storeRow(c + 2 * cStride, dr, acc20, acc21, nc, low, high, mode);
  if (mr > 3) storeRow(c + 3 * cStride, dr, acc30, acc31, nc, low, high, mode);
}

// The first `nc` (1..8) channels of one tile row, plus the residual at c + dr when dr ≠ 0 (a
// load may read past the row's nc channels: allocations keep 64 bytes of slack, src/heap.ts).
@inline function storeRow(c: usize, dr: usize, v0: v128, v1: v128, nc: i32, low: v128, high: v128, mode: i32): void {
  if (dr != 0) v0 = f32x4.add(v0, v128.load(c + dr));
  storeLanes(c, epilogue(v0, low, high, mode), nc);
  if (nc <= 4) return;
  if (dr != 0) v1 = f32x4.add(v1, v128.load(c + dr, 16));
  storeLanes(c + 16, epilogue(v1, low, high, mode), nc - 4);
}

// A ragged tile: only mr < MR rows exist (packRows repeated the last into the others, which are
// computed and not stored) or the panel has nc < 8 channels. Not inlined: it runs at most once
// per row tile and panel sweep.
function edgeTile(pa: usize, mr: i32, kc: i32, w: usize, c: usize, cStride: usize, dr: usize, bounds: usize, mode: i32, nc: i32): void {
  if (mode == J.EPILOGUE_HARD_SWISH) tile(pa, kc, w, c, cStride, dr, bounds, J.EPILOGUE_HARD_SWISH, true, mr, nc);
  else if (mode == J.EPILOGUE_HARD_SIGMOID) tile(pa, kc, w, c, cStride, dr, bounds, J.EPILOGUE_HARD_SIGMOID, true, mr, nc);
  else tile(pa, kc, w, c, cStride, dr, bounds, J.EPILOGUE_CLAMP, true, mr, nc);
}

// Interleaves the MR input rows from `row` (aStride bytes apart) into `pa` as [kc][MR], a 4×4
// transpose per four channels; rows past mr repeat the last, so every load stays in bounds.
function packRows(row: usize, aStride: usize, mr: i32, kc: i32, pa: usize): void {
  const r1 = row + <usize>min(1, mr - 1) * aStride;
  const r2 = row + <usize>min(2, mr - 1) * aStride;
  const r3 = row + <usize>min(3, mr - 1) * aStride;
  let k = 0;
  for (; k + 4 <= kc; k += 4) {
    const offset = <usize>k << 2;
    const v0 = v128.load(row + offset);
    const v1 = v128.load(r1 + offset);
    const v2 = v128.load(r2 + offset);
    const v3 = v128.load(r3 + offset);
    const low01 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
    const low23 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
    const high01 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
    const high23 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
    const out = pa + (<usize>k << 4);
    v128.store(out, i64x2.shuffle(low01, low23, 0, 2));
    v128.store(out, i64x2.shuffle(low01, low23, 1, 3), 16);
    v128.store(out, i64x2.shuffle(high01, high23, 0, 2), 32);
    v128.store(out, i64x2.shuffle(high01, high23, 1, 3), 48);
  }
  for (; k < kc; k++) {
    const offset = <usize>k << 2;
    const out = pa + (<usize>k << 4);
    store<f32>(out, load<f32>(row + offset));
    store<f32>(out, load<f32>(r1 + offset), 4);
    store<f32>(out, load<f32>(r2 + offset), 8);
    store<f32>(out, load<f32>(r3 + offset), 12);
  }
}

// Output rows [m0, m1) over panels [p0, p1) with the epilogue `mode` (a constant where inlined);
// `pa` is this thread's MR·kc floats of scratch.
@inline function rows(x: usize, kc: i32, w: usize, y: usize, n: i32, m0: i32, m1: i32, p0: i32, p1: i32, dr: usize, bounds: usize, pa: usize, mode: i32): void {
  const aStride = <usize>kc << 2;
  const cStride = <usize>n << 2;
  const bytes = panelBytes(1, kc);
  // Panels whose 8 channels all exist; a ragged last one goes to edgeTile.
  const whole = min(p1, n >> 3);
  for (let m = m0; m < m1; m += MR) {
    const mr = min(MR, m1 - m);
    const cRow = y + <usize>m * cStride;
    packRows(x + <usize>m * aStride, aStride, mr, kc, pa);
    let p = p0;
    if (mr == MR) {
      for (; p < whole; p++) tile(pa, kc, w + <usize>p * bytes, cRow + (<usize>p << 5), cStride, dr, bounds, mode, false, MR, 8);
    }
    for (; p < p1; p++) edgeTile(pa, mr, kc, w + <usize>p * bytes, cRow + (<usize>p << 5), cStride, dr, bounds, mode, min(8, n - (p << 3)));
  }
}

// One function per epilogue, so that each inlined copy of `rows` has its mode as a constant
// (three copies inlined into one function came out testing the mode for every vector stored).
function rowsClamp(x: usize, kc: i32, w: usize, y: usize, n: i32, m0: i32, m1: i32, p0: i32, p1: i32, dr: usize, bounds: usize, pa: usize): void {
  rows(x, kc, w, y, n, m0, m1, p0, p1, dr, bounds, pa, J.EPILOGUE_CLAMP);
}

function rowsHardSwish(x: usize, kc: i32, w: usize, y: usize, n: i32, m0: i32, m1: i32, p0: i32, p1: i32, dr: usize, bounds: usize, pa: usize): void {
  rows(x, kc, w, y, n, m0, m1, p0, p1, dr, bounds, pa, J.EPILOGUE_HARD_SWISH);
}

function rowsHardSigmoid(x: usize, kc: i32, w: usize, y: usize, n: i32, m0: i32, m1: i32, p0: i32, p1: i32, dr: usize, bounds: usize, pa: usize): void {
  rows(x, kc, w, y, n, m0, m1, p0, p1, dr, bounds, pa, J.EPILOGUE_HARD_SIGMOID);
}

// Pointwise convolution, a [pixels, inChannels] × [inChannels, outChannels] product: output
// pixels [start, end) of the batch, or with SPLIT_COLUMNS set every pixel over output-channel
// panels [start, end) — the job and its shares are gemm.ts's `gemm`'s. `scratch` holds MR·kc
// floats for this thread (src/kernels/wasm-gemm-conv2d.ts sizes it).
export function gemmNarrow(job: usize, start: i32, end: i32, scratch: usize): void {
  const kc = J.geti(job, J.IN_CHANNELS);
  const n = J.geti(job, J.OUT_CHANNELS);
  const columns = J.geti(job, J.SPLIT_COLUMNS) != 0;
  const pixels = J.geti(job, J.BATCH) * J.geti(job, J.OUT_HEIGHT) * J.geti(job, J.OUT_WIDTH);
  const panels = (n + 7) >> 3;
  const m0 = columns ? 0 : start;
  const m1 = columns ? pixels : end;
  const p0 = columns ? start : 0;
  const p1 = columns ? min(end, panels) : panels;
  const x = J.getp(job, J.X);
  const w = J.getp(job, J.W);
  const y = J.getp(job, J.Y);
  // The tiles broadcast CLAMP_LOW and CLAMP_HIGH from the job record.
  const bounds = job + (<usize>J.CLAMP_LOW << 2);
  // The residual (laid out as the output; 0: none) as its distance from the output, added to
  // the accumulators before the clamp, as gemm.ts's tile adds it.
  const r = J.getp(job, J.RESIDUAL);
  const dr = r != 0 ? r - y : 0;
  const mode = J.geti(job, J.EPILOGUE);
  if (mode == J.EPILOGUE_HARD_SWISH) rowsHardSwish(x, kc, w, y, n, m0, m1, p0, p1, dr, bounds, scratch);
  else if (mode == J.EPILOGUE_HARD_SIGMOID) rowsHardSigmoid(x, kc, w, y, n, m0, m1, p0, p1, dr, bounds, scratch);
  else rowsClamp(x, kc, w, y, n, m0, m1, p0, p1, dr, bounds, scratch);
}
