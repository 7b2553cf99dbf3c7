// Element-wise activations over a flat span of floats: the standalone `activation` op and the
// convolution epilogues a clamp cannot express (hard-sigmoid, hard-swish): the GEMM kernels
// (gemm.ts, gemm-narrow.ts, direct-conv.ts) apply `epilogue` to their accumulators before the
// store; the depthwise kernels apply activateSpan to each row right after storing it, in L1.
// Forms as the reference: hardSigmoid(v) = relu6(v + 3) / 6, hardSwish(v) = v · relu6(v + 3) / 6,
// in float32 (a few ulp from the reference's float64). The clamps use pmin/pmax with `v`
// first, so NaN passes through (see clamp in simd.ts); −∞ · 0 makes hardSwish(−∞) NaN as the
// formula says.
import * as J from './job';
import { clamp, storeLanes } from './simd';

// The epilogue `mode` (J.EPILOGUE_*) of one vector, after the clamp [low, high].
@inline export function epilogue(v: v128, low: v128, high: v128, mode: i32): v128 {
  const clamped = clamp(v, low, high);
  if (mode == J.EPILOGUE_CLAMP) return clamped;
  const r6 = clamp(f32x4.add(clamped, f32x4.splat(3)), f32x4.splat(0), f32x4.splat(6));
  if (mode == J.EPILOGUE_HARD_SIGMOID) return f32x4.div(r6, f32x4.splat(6));
  return f32x4.div(f32x4.mul(clamped, r6), f32x4.splat(6));
}

@inline function spanWith(x: usize, y: usize, count: i32, low: v128, high: v128, mode: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const offset = <usize>i << 2;
    v128.store(y + offset, epilogue(v128.load(x + offset), low, high, mode));
  }
  // The tail's load may read past the span: allocations keep 64 bytes of slack (src/heap.ts).
  if (i < count) storeLanes(y + (<usize>i << 2), epilogue(v128.load(x + (<usize>i << 2)), low, high, mode), count - i);
}

// y[i] = epilogue(x[i]) for i in [0, count); `y` may be `x` (in place). `mode` is dispatched
// once, outside the loop, so each loop is specialised for its function.
export function activateSpan(x: usize, y: usize, count: i32, clampLow: f32, clampHigh: f32, mode: i32): void {
  const low = f32x4.splat(clampLow);
  const high = f32x4.splat(clampHigh);
  if (mode == J.EPILOGUE_HARD_SWISH) spanWith(x, y, count, low, high, J.EPILOGUE_HARD_SWISH);
  else if (mode == J.EPILOGUE_HARD_SIGMOID) spanWith(x, y, count, low, high, J.EPILOGUE_HARD_SIGMOID);
  else spanWith(x, y, count, low, high, J.EPILOGUE_CLAMP);
}

// The `activation` op: elements [start, end) of the flat tensor X into Y; the count unit is
// one element (the caller splits in multiples of 4 so that threads share no vector).
export function activation(job: usize, start: i32, end: i32): void {
  const offset = <usize>start << 2;
  activateSpan(J.getp(job, J.X) + offset, J.getp(job, J.Y) + offset, end - start, J.getf(job, J.CLAMP_LOW), J.getf(job, J.CLAMP_HIGH), J.geti(job, J.EPILOGUE));
}
