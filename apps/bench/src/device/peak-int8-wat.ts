/**
 * Independent accumulator chains in the int8 peak loop, as in the float one (`peak-flops-wat.ts`):
 * a dot product then an add is about 4–6 cycles of latency at two per cycle, so 12 chains keep
 * the units busy and, with the two constants, fit V8's 16 xmm registers.
 */
const CHAINS = 12;

/**
 * Int8 operations one iteration performs (a multiply-add is 2, as a FLOP count is): per chain,
 * `i32x4.dot_i16x8_s` does 8 multiply-adds (what plain SIMD128 int8 code issues after widening
 * int8 to int16), relaxed SIMD's `i32x4.relaxed_dot_i8x16_i7x16_add_s` 16.
 */
export function int8OpsPerIteration(relaxed: boolean): number {
  return CHAINS * (relaxed ? 16 : 8) * 2;
}

/**
 * WebAssembly text of the peak int8 kernel, with the float kernel's signature `peak(iterations,
 * m, a)` so the same worker runs both: each of `CHAINS` accumulators is fed back through a dot
 * product with a constant (`acc = dot(acc, m) + a`, reinterpreting the i32 lanes as i16 or i8
 * lanes; integer overflow wraps) and their sum is returned, so no engine can drop or hoist the
 * loop. `relaxed` uses `i32x4.relaxed_dot_i8x16_i7x16_add_s` (the constant in [0, 127], where
 * every implementation agrees), otherwise `i32x4.dot_i16x8_s` then `i32x4.add`.
 */
export function peakInt8Wat(relaxed: boolean): string {
  const chains = Array.from({ length: CHAINS }, (_, i) => `$c${i}`);
  const step = (c: string) =>
    relaxed
      ? `(local.set ${c} (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get ${c}) (local.get $m) (local.get $a)))`
      : `(local.set ${c} (i32x4.add (i32x4.dot_i16x8_s (local.get ${c}) (local.get $m)) (local.get $a)))`;
  const sum = chains.slice(1).reduce((expr, c) => `(i32x4.add ${expr} (local.get ${c}))`, `(local.get ${chains[0]})`);
  // m and a from the float arguments (0.999 → 99 and 0.001 → 1 with the worker's values).
  const mSplat = relaxed ? 'i8x16.splat' : 'i16x8.splat';
  return `(module
  (func (export "peak") (param $iterations i32) (param $ms f32) (param $as f32) (result f32)
    (local $m v128) (local $a v128) ${chains.map((c) => `(local ${c} v128)`).join(' ')}
    (local.set $m (${mSplat} (i32.trunc_f32_s (f32.mul (local.get $ms) (f32.const 100)))))
    (local.set $a (i32x4.splat (i32.trunc_f32_s (f32.mul (local.get $as) (f32.const 1000)))))
    ${chains.map((c, i) => `(local.set ${c} (i32x4.splat (i32.const ${i + 1})))`).join('\n    ')}
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $iterations)))
        ${chains.map(step).join('\n        ')}
        (local.set $iterations (i32.sub (local.get $iterations) (i32.const 1)))
        (br $next)))
    (f32.convert_i32_s (i32x4.extract_lane 0 ${sum}))))`;
}
