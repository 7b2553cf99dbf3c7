/**
 * Independent accumulator chains the device profile tries; it keeps the fastest loop. A chain
 * step is a multiply-add with about 4 cycles of latency as one fused instruction and 6–7 as a
 * multiply then an add, and a core issues two (x64) to four (Apple M) 128-bit multiplies per
 * cycle, so the chains needed to hide the latency run from 8 to 28. x64 gives V8 15 vector
 * registers and arm64 31, so no one count fits every engine: measured on a Zen 4 (3.7 GHz,
 * Node 20), relaxed_madd reached 59 GFLOP/s with 8, 12 or 24 chains (16 FLOP/cycle, two 128-bit
 * FMAs per cycle, the hardware's limit) but mul + add 38, 50 and 55 with 8, 12 and 24 (24 spill
 * and still win): 12 chains alone put the plain-SIMD peak 10% low.
 */
export const PEAK_CHAIN_COUNTS = [8, 12, 16, 24] as const;

/** FLOPs one iteration of the peak loop performs: a multiply and an add on 4 lanes per chain. */
export function flopsPerIteration(chains: number): number {
  return chains * 4 * 2;
}

/**
 * WebAssembly text of the peak-FLOP/s kernel: `peak(iterations, m, a)` runs `acc = acc·m + a`
 * on `chains` independent f32x4 accumulators and returns their sum, so no engine can drop the
 * loop. With `relaxed`, each step is one `f32x4.relaxed_madd` (a fused multiply-add where the
 * hardware has one), the instruction sepconv's relaxed-SIMD kernels use; otherwise a
 * separate `f32x4.mul` and `f32x4.add`, what plain SIMD128 code can issue.
 */
export function peakFlopsWat(relaxed: boolean, chainCount: number): string {
  const chains = Array.from({ length: chainCount }, (_, i) => `$c${i}`);
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
    ${chains.map((c, i) => `(local.set ${c} (f32x4.splat (f32.const ${(i + 1) / chainCount})))`).join('\n    ')}
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $iterations)))
        ${chains.map(step).join('\n        ')}
        (local.set $iterations (i32.sub (local.get $iterations) (i32.const 1)))
        (br $next)))
    (f32x4.extract_lane 0 ${sum})))`;
}
