// The float peak loops of the device profile: every candidate (plain and, where the runtime has
// relaxed SIMD, fused; each chain count) assembles, validates and computes what its chains say,
// so no engine may drop it, and its FLOP count matches its chains.
import { describe, expect, it } from 'vitest';
import { peakFlopsModule } from '../src/device/device-profile.js';
import { flopsPerIteration, PEAK_CHAIN_COUNTS } from '../src/device/peak-flops-wat.js';

type Peak = (iterations: number, m: number, a: number) => number;

async function peakOf(relaxed: boolean, chains: number): Promise<Peak | undefined> {
  const wasm = await peakFlopsModule(relaxed, chains);
  if (!WebAssembly.validate(wasm)) return undefined;
  return new WebAssembly.Instance(new WebAssembly.Module(wasm), {}).exports.peak as Peak;
}

describe('peakFlopsWat', () => {
  it('counts a multiply and an add on 4 lanes per chain', () => {
    expect(PEAK_CHAIN_COUNTS.map(flopsPerIteration)).toEqual(PEAK_CHAIN_COUNTS.map((chains) => chains * 8));
  });

  for (const relaxed of [false, true]) {
    for (const chains of PEAK_CHAIN_COUNTS) {
      it(`${relaxed ? 'relaxed' : 'plain'}, ${chains} chains: chain i starts at (i + 1) / ${chains} and becomes c·m + a per iteration; lane 0 of their sum comes back`, async () => {
        const peak = await peakOf(relaxed, chains);
        if (!peak) {
          // Node 20 compiles relaxed SIMD only behind --experimental-wasm-relaxed-simd (not set for these tests).
          expect(relaxed, 'plain SIMD128 must run everywhere').toBe(true);
          return;
        }
        const start = Array.from({ length: chains }, (_, i) => Math.fround((i + 1) / chains));
        const sum = (values: number[]) => values.reduce((total, v) => Math.fround(total + v), 0);
        expect(peak(0, 0.5, 0.25)).toBeCloseTo(sum(start), 5);
        expect(peak(2, 0.5, 0.25)).toBeCloseTo(sum(start.map((c) => (c * 0.5 + 0.25) * 0.5 + 0.25)), 5);
      });
    }
  }
});
