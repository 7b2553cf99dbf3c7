// Packs a float filter [rows][outChannels] (rows = kernelHeight · kernelWidth · inChannels, the
// weights W) and its bias into the GEMM micro-kernel's panels of GEMM_NR output channels,
// [8 bias][rows][8], at Y: the layout src/pack/pack-gemm.ts writes in JavaScript (the reference
// the tests hold this to, bit for bit). Each weight is multiplied by its output channel's factor
// from SCALE when set (a batch norm folded while packing: one float32 product, the same bits
// JavaScript's Float32Array store of the product gives). Channels past outChannels are zero.
// A share [start, end) counts panels; each panel reads 32 bytes of every filter row.
import * as J from './job';

const NR: i32 = J.GEMM_NR;

export function packGemm(job: usize, start: i32, end: i32): void {
  const source = J.getp(job, J.W);
  const packed = J.getp(job, J.Y);
  const bias = J.getp(job, J.BIAS);
  const scale = J.getp(job, J.SCALE);
  const outChannels = J.geti(job, J.OUT_CHANNELS);
  const rows = J.geti(job, J.KERNEL_HEIGHT) * J.geti(job, J.KERNEL_WIDTH) * J.geti(job, J.IN_CHANNELS);
  const rowBytes = <usize>outChannels << 2;
  const panelBytes = <usize>(NR * (1 + rows)) << 2;
  for (let panel = start; panel < end; panel++) {
    const first = panel * NR;
    const to = packed + <usize>panel * panelBytes;
    const from = source + (<usize>first << 2);
    if (first + NR <= outChannels) fullPanel(to, from, rows, rowBytes, bias, scale, first);
    else raggedPanel(to, from, rows, rowBytes, bias, scale, first, outChannels - first);
  }
}

// A panel of NR channels: two vectors a row.
@inline function fullPanel(to: usize, from: usize, rows: i32, rowBytes: usize, bias: usize, scale: usize, first: i32): void {
  const channel = <usize>first << 2;
  const one = f32x4.splat(1);
  const s0 = scale ? v128.load(scale + channel) : one;
  const s1 = scale ? v128.load(scale + channel, 16) : one;
  v128.store(to, bias ? v128.load(bias + channel) : f32x4.splat(0));
  v128.store(to, bias ? v128.load(bias + channel, 16) : f32x4.splat(0), 16);
  let out = to + 32;
  let row = from;
  for (let r = 0; r < rows; r++) {
    v128.store(out, f32x4.mul(v128.load(row), s0));
    v128.store(out, f32x4.mul(v128.load(row, 16), s1), 16);
    out += 32;
    row += rowBytes;
  }
}

// The last panel when outChannels is not a multiple of NR: `lanes` channels, zeros after them.
function raggedPanel(to: usize, from: usize, rows: i32, rowBytes: usize, bias: usize, scale: usize, first: i32, lanes: i32): void {
  for (let j = 0; j < NR; j++) store<f32>(to + (<usize>j << 2), bias && j < lanes ? load<f32>(bias + (<usize>(first + j) << 2)) : 0);
  let out = to + 32;
  let row = from;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < NR; j++) {
      const factor: f32 = scale ? load<f32>(scale + (<usize>(first + j) << 2)) : 1;
      store<f32>(out + (<usize>j << 2), j < lanes ? load<f32>(row + (<usize>j << 2)) * factor : 0);
    }
    out += 32;
    row += rowBytes;
  }
}
