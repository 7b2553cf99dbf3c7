/**
 * Independent accumulator chains in the peak loop. A multiply then an add is about 7 cycles of
 * latency and a core issues two of each per cycle, so 14 chains would saturate it; 12 plus
 * the two constants fit V8's 16 xmm registers without spilling.
 */
const CHAINS = 12;

/** FLOPs one iteration of the peak loop performs: a multiply and an add on 4 lanes per chain. */
export const FLOPS_PER_ITERATION = CHAINS * 4 * 2;

/**
 * WebAssembly text of the peak-FLOP/s kernel: `peak(iterations, m, a)` runs `acc = acc·m + a`
 * on `CHAINS` independent f32x4 accumulators and returns their sum, so no engine can drop the
 * loop. With `relaxed`, each step is one `f32x4.relaxed_madd` (a fused multiply-add where the
 * hardware has one), the instruction sepconv's relaxed-SIMD kernels use; otherwise a
 * separate `f32x4.mul` and `f32x4.add`, what plain SIMD128 code can issue.
 */
export function peakFlopsWat(relaxed: boolean): string {
  const chains = Array.from({ length: CHAINS }, (_, i) => `$c${i}`);
  const step = (c: string) =>
    relaxed
      ? `(local.set ${c} (f32x4.relaxed_madd (local.get ${c}) (local.get $m) (local.get $a)))`
      : `(local.set ${c} (f32x4.add (f32x4.mul (local.get ${c}) (local.get $m)) (local.get $a)))`;
  const sum = chains.slice(1).reduce((expr, c) => `(f32x4.add ${expr} (local.get ${c}))`, `(local.get ${chains[0]})`);
  return `(module
  (func (export "peak") (param $iterations i32) (param $ms f32) (param $as f32) (result f32)
    (local $m v128) (local $a v128) ${chains.map((c) => `(local ${c} v128)`).join(' ')}
    (local.set $m (f32x4.splat (local.get $ms)))
    (local.set $a (f32x4.splat (local.get $as)))
    ${chains.map((c, i) => `(local.set ${c} (f32x4.splat (f32.const ${(i + 1) / CHAINS})))`).join('\n    ')}
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $iterations)))
        ${chains.map(step).join('\n        ')}
        (local.set $iterations (i32.sub (local.get $iterations) (i32.const 1)))
        (br $next)))
    (f32x4.extract_lane 0 ${sum})))`;
}
