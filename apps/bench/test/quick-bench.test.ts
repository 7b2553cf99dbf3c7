import { describe, expect, it } from 'vitest';
import { contenders, QUICK_SETTINGS, quickLayers, runBench, type BenchResults } from '../src/index.js';

/**
 * The CI smoke test: the quick bench, run as the CLI runs it, on tiny shapes. It checks the
 * shape of the results and that every engine computed the same outputs; never a speed.
 */
describe('quick bench', () => {
  let results: BenchResults;

  it('runs every contender on every quick case', async () => {
    const phases = new Set<string>();
    results = await runBench({ mode: 'quick', cases: quickLayers, contenders, onProgress: (p) => phases.add(p.phase) });
    expect([...phases]).toEqual(['profile', 'init', 'case']);
    expect(results.schemaVersion).toBe(1);
    expect(results.mode).toBe('quick');
    expect(results.settings).toEqual(QUICK_SETTINGS);
    expect(results.cases.map((c) => c.id)).toEqual(quickLayers.map((c) => c.id));
    expect(results.contenders.map((c) => c.name)).toEqual(contenders.map((c) => c.name));
    for (const contender of results.contenders) {
      expect(contender.unavailable, contender.name).toBeUndefined();
      expect(contender.version, contender.name).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  it('records machine and device profile', () => {
    expect(results.machine.logicalCores).toBeGreaterThan(0);
    expect(results.machine.node).toBe(process.versions.node);
    expect(typeof results.machine.relaxedSimd).toBe('boolean');
    expect(results.deviceProfile.entries.map((e) => e.threads)).toEqual([1, 2]);
    for (const entry of results.deviceProfile.entries) {
      expect(entry.peakFlops).toBeGreaterThan(0);
      expect(entry.memoryBandwidth).toBeGreaterThan(0);
    }
  });

  it('times, predicts and cross-checks each result', () => {
    const kindOf = (name: string) => results.contenders.find((c) => c.name === name)!.kind;
    for (const caseResult of results.cases) {
      expect(caseResult.multAdds).toBeGreaterThan(0);
      expect(caseResult.outputShape).toHaveLength(4);
      expect(caseResult.results.map((r) => r.contender)).toEqual(contenders.map((c) => c.name));
      for (const r of caseResult.results) {
        const where = `${caseResult.id}/${r.contender}`;
        expect(r.error, where).toBeUndefined();
        expect(r.skipped, where).toBeUndefined();
        expect(r.samplesMs!.length, where).toBeGreaterThanOrEqual(QUICK_SETTINGS.minRuns);
        expect(r.bestMs!, where).toBeLessThanOrEqual(r.medianMs!);
        expect(r.gflops!, where).toBeGreaterThan(0);
        // The roofline is the measured CPU profile's, so only CPU contenders get one.
        if (kindOf(r.contender) === 'cpu') {
          expect(r.predictedMs!, where).toBeGreaterThan(0);
          expect(['compute', 'memory']).toContain(r.bound);
        } else {
          expect(r.predictedMs, where).toBeUndefined();
        }
        expect(Object.keys(r.speedupVs!).sort(), where).toEqual(contenders.map((c) => c.name).filter((n) => n !== r.contender).sort());
      }
      // The first contender is the oracle; every other one must agree with it.
      const [first, ...rest] = caseResult.results;
      expect(first!.check).toBeUndefined();
      for (const r of rest) {
        expect(r.check, `${caseResult.id}/${r.contender}`).toMatchObject({ against: first!.contender, ok: true });
      }
    }
  });

  it('derives the separable/standard and fused/unfused comparisons', () => {
    const names = contenders.map((c) => c.name);
    expect(results.separableVsStandard.map((s) => s.contender)).toEqual(names);
    for (const s of results.separableVsStandard) {
      expect(s.measuredRatio).toBeCloseTo((s.depthwiseMs + s.pointwiseMs) / s.standardMs, 10);
      // 1/N + 1/D_K² for N = 10, D_K = 3.
      expect(s.theoreticalRatio).toBeCloseTo(1 / 10 + 1 / 9, 10);
    }
    expect(results.fusedVsUnfused.map((f) => f.contender)).toEqual(names);
    expect(results.targets).toEqual([]);
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
  });
});
