/**
 * Whether this engine computes `i32x4.relaxed_dot_i8x16_i7x16_add_s` exactly: `c + Σ a·b` over
 * each lane's four byte products, `a` signed int8 and `b` in [0, 127]. The relaxed-SIMD
 * proposal lets an engine return other values only when `b` leaves [0, 127], yet some engines
 * get even the 7-bit case wrong — V8 in Node 20 on x64 returns twice the products and drops
 * the addend — so the int8 kernels that rely on it run only where this probe passes.
 * Decided once per process by running the instruction on operands at the edges of its range.
 */

/** The operands and the exact result: lanes of extremes (−128·127, 127·127), mixed signs, a zero and large addends. */
const A = [-128, -128, -128, -128, 127, 127, 127, 127, -128, 127, -1, 1, 5, -6, 7, -8];
const B = [127, 127, 127, 127, 127, 127, 127, 127, 1, 2, 127, 0, 64, 3, 0, 100];
const C = [1000, -7, 123456, -100000];
const EXPECTED = C.map((c, lane) => {
  let sum = c;
  for (let i = 4 * lane; i < 4 * lane + 4; i++) sum += A[i]! * B[i]!;
  return sum;
});

/** `v128.const` of sixteen bytes. */
function v128Bytes(bytes: readonly number[]): number[] {
  return [0xfd, 0x0c, ...bytes.map((b) => b & 0xff)];
}

/** `v128.const` of four int32 lanes, little-endian. */
function v128Int32(lanes: readonly number[]): number[] {
  return v128Bytes(lanes.flatMap((v) => [v, v >> 8, v >> 16, v >> 24]));
}

/**
 * A module exporting `f: () → i32` that returns 1 when the instruction's result on the operands
 * above equals the exact one, else 0:
 * `i32x4.all_true(i32x4.eq(relaxed_dot(A, B, C), EXPECTED))`.
 */
function probeModule(): Uint8Array<ArrayBuffer> {
  const body = [
    0x00, // no locals
    ...v128Bytes(A),
    ...v128Bytes(B),
    ...v128Int32(C),
    0xfd,
    0x93,
    0x02, // i32x4.relaxed_dot_i8x16_i7x16_add_s (0xfd 275)
    ...v128Int32(EXPECTED),
    0xfd,
    0x37, // i32x4.eq
    0xfd,
    0xa3,
    0x01, // i32x4.all_true
    0x0b, // end
  ];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version 1
    ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f], // type section: () → i32
    ...[0x03, 0x02, 0x01, 0x00], // function section: one function of type 0
    ...[0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00], // export section: "f" = function 0
    ...[0x0a, body.length + 2, 0x01, body.length, ...body], // code section (sizes < 128)
  ]);
}

let probed: string | undefined | null = null;

/**
 * `undefined` when `i32x4.relaxed_dot_i8x16_i7x16_add_s` is exact here, else why not (no
 * relaxed SIMD, or wrong results). Memoised: the probe runs once per process.
 */
export function relaxedDotSupport(): string | undefined {
  if (probed !== null) return probed;
  probed = runProbe();
  return probed;
}

function runProbe(): string | undefined {
  if (typeof WebAssembly === 'undefined') return 'no WebAssembly in this runtime';
  const bytes = probeModule();
  if (!WebAssembly.validate(bytes)) return 'this runtime has no WebAssembly relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd)';
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const f = instance.exports['f'] as () => number;
  return f() === 1
    ? undefined
    : 'this engine computes i32x4.relaxed_dot_i8x16_i7x16_add_s inexactly even with a 7-bit operand (as V8 in Node 20 does on x64)';
}

/** For tests: the probe's module and expected result, to check the probe itself. */
export const relaxedDotProbe = { module: probeModule, expected: EXPECTED } as const;
