// float32 → int8 quantization of a flat span, bit for bit as @sepconv/tensor's quantizeValues
// (TensorFlow Lite's reference `Quantize`): q = clamp(round(x / scale) + zeroPoint, −128, 127)
// with the division in float32 (f32x4.div is correctly rounded, as the reference's float64
// division rounded once to float32 is for float32 operands) and ties away from zero.
// Rounding without an addition that could itself round: t − trunc(t) is exact in float32, so
// round(t) = trunc(t) + sign(t)·[|t − trunc(t)| ≥ 0.5]. The clamp runs in float before the
// conversion and the zero point (±Infinity saturate; no int32 wrap-around). NaN has no int8
// value: the kernel sets the word at CLAMP_HIGH (zeroed when the job is written) when its share
// holds one, and src/kernels/wasm-int8-quantize.ts raises the reference's ValueError from it once
// the job has run — no pass of JavaScript over the input.
// Job slots: X = the float input, Y = the int8 result; the scale (f32) at CLAMP_LOW, the zero
// point at OUTPUT_ZERO_POINT, the NaN flag (i32) at CLAMP_HIGH.
// Legend: i element index (a multiple of 16 except at the end of the share).
import * as J from './job';
import { storeInt8x16 } from './int8-requantize';

@inline function quantize4(x: v128, scale: v128, low: v128, high: v128, zeroPoint: v128): v128 {
  const t = f32x4.div(x, scale);
  const whole = f32x4.trunc(t);
  const half = f32x4.ge(f32x4.abs(f32x4.sub(t, whole)), f32x4.splat(0.5));
  // sign(t) as ±1.0: copy t's sign bit onto 1.0.
  const unit = v128.or(v128.and(t, i32x4.splat(0x80000000)), f32x4.splat(1));
  const rounded = f32x4.add(whole, v128.and(unit, half));
  return i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.min(f32x4.max(rounded, low), high)), zeroPoint);
}

// Elements [start, end) of the result.
export function int8Quantize(job: usize, start: i32, end: i32): void {
  const x = J.getp(job, J.X);
  const y = J.getp(job, J.Y);
  const scale = f32x4.splat(J.getf(job, J.CLAMP_LOW));
  const zp = J.geti(job, J.OUTPUT_ZERO_POINT);
  const zeroPoint = i32x4.splat(zp);
  const low = f32x4.splat(<f32>(<i32>-128 - zp));
  const high = f32x4.splat(<f32>(<i32>127 - zp));
  // Lanes that compared unequal to themselves: NaN.
  let nan = i32x4.splat(0);
  for (let i = start; i < end; i += 16) {
    // Loads past the end stay inside the allocation's 64-byte slack (src/heap.ts).
    const p = x + (<usize>i << 2);
    const v0 = v128.load(p);
    const v1 = v128.load(p, 16);
    const v2 = v128.load(p, 32);
    const v3 = v128.load(p, 48);
    const count = min(16, end - i);
    if (count == 16) {
      nan = v128.or(nan, v128.or(v128.or(f32x4.ne(v0, v0), f32x4.ne(v1, v1)), v128.or(f32x4.ne(v2, v2), f32x4.ne(v3, v3))));
    } else {
      // The slack past the end may hold anything: look at the share's own elements only.
      for (let lane = 0; lane < count; lane++) {
        const value = load<f32>(p + (<usize>lane << 2));
        if (value != value) nan = i32x4.splat(-1);
      }
    }
    storeInt8x16(
      y + <usize>i,
      quantize4(v0, scale, low, high, zeroPoint),
      quantize4(v1, scale, low, high, zeroPoint),
      quantize4(v2, scale, low, high, zeroPoint),
      quantize4(v3, scale, low, high, zeroPoint),
      count,
    );
  }
  // Threads that find one all write 1: the same value, so the race is harmless.
  if (v128.any_true(nan)) store<i32>(job + (<usize>J.CLAMP_HIGH << 2), 1);
}
