// int8 → int8 lookup of a flat span through a 256-entry table (QuantizedLookupTable: hard-swish,
// hard-sigmoid, sigmoid… of int8 values), y[i] = table[x[i] + 128], bit for bit the reference.
// i8x16.swizzle looks up 16 lanes in a 16-byte register and gives 0 for an index of 16 or more,
// so the table is 16 registers: with u = x + 128 (x xor 0x80), chunk k contributes
// swizzle(chunk k, u − 16k), which is 0 unless u lies in [16k, 16k + 16) (the subtraction wraps
// the others to 16 or more), and the 16 contributions are ORed.
// Job slots: X = the int8 input, W = the table (256 bytes), Y = the int8 result; scratch: 16 bytes.
// Legend: i element index (a multiple of 16 except at the end of the share), k table chunk.
import * as J from './job';

// Stores the first `count` (1..16) bytes of v at p; a partial vector goes through `scratch`
// (16 bytes of this thread's) so nothing past the end is written.
@inline function storeBytes(p: usize, v: v128, count: i32, scratch: usize): void {
  if (count >= 16) {
    v128.store(p, v);
    return;
  }
  v128.store(scratch, v);
  memory.copy(p, scratch, <usize>count);
}

// Elements [start, end) of the result.
export function int8Lookup(job: usize, start: i32, end: i32, scratch: usize): void {
  const x = J.getp(job, J.X);
  const table = J.getp(job, J.W);
  const y = J.getp(job, J.Y);
  const t0 = v128.load(table);
  const t1 = v128.load(table, 16);
  const t2 = v128.load(table, 32);
  const t3 = v128.load(table, 48);
  const t4 = v128.load(table, 64);
  const t5 = v128.load(table, 80);
  const t6 = v128.load(table, 96);
  const t7 = v128.load(table, 112);
  const t8 = v128.load(table, 128);
  const t9 = v128.load(table, 144);
  const t10 = v128.load(table, 160);
  const t11 = v128.load(table, 176);
  const t12 = v128.load(table, 192);
  const t13 = v128.load(table, 208);
  const t14 = v128.load(table, 224);
  const t15 = v128.load(table, 240);
  const sixteen = i8x16.splat(16);
  const bias = i8x16.splat(-128);
  for (let i = start; i < end; i += 16) {
    // Loads past the end stay inside the allocation's 64-byte slack (src/heap.ts).
    let u = v128.xor(v128.load(x + <usize>i), bias);
    let r = i8x16.swizzle(t0, u);
    u = i8x16.sub(u, sixteen);
    r = v128.or(r, i8x16.swizzle(t1, u));
    u = i8x16.sub(u, sixteen);
    r = v128.or(r, i8x16.swizzle(t2, u));
    u = i8x16.sub(u, sixteen);
    r = v128.or(r, i8x16.swizzle(t3, u));
    u = i8x16.sub(u, sixteen);
    r = v128.or(r, i8x16.swizzle(t4, u));
    u = i8x16.sub(u, sixteen);
    r = v128.or(r, i8x16.swizzle(t5, u));
    u = i8x16.sub(u, sixteen);
    r = v128.or(r, i8x16.swizzle(t6, u));
    u = i8x16.sub(u, sixteen);
    r = v128.or(r, i8x16.swizzle(t7, u));
    u = i8x16.sub(u, sixteen);
    r = v128.or(r, i8x16.swizzle(t8, u));
    u = i8x16.sub(u, sixteen);
    r = v128.or(r, i8x16.swizzle(t9, u));
    u = i8x16.sub(u, sixteen);
    r = v128.or(r, i8x16.swizzle(t10, u));
    u = i8x16.sub(u, sixteen);
    r = v128.or(r, i8x16.swizzle(t11, u));
    u = i8x16.sub(u, sixteen);
    r = v128.or(r, i8x16.swizzle(t12, u));
    u = i8x16.sub(u, sixteen);
    r = v128.or(r, i8x16.swizzle(t13, u));
    u = i8x16.sub(u, sixteen);
    r = v128.or(r, i8x16.swizzle(t14, u));
    u = i8x16.sub(u, sixteen);
    r = v128.or(r, i8x16.swizzle(t15, u));
    storeBytes(y + <usize>i, r, end - i, scratch);
  }
}
