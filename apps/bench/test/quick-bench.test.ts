import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contenders, QUICK_SETTINGS, quickLayers, type BenchResults } from '../src/index.js';

const rootDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * The CI smoke test: the quick bench, run as the README says (`pnpm bench --quick` at the
 * root), on tiny shapes. It checks the table's width, the shape of the results and that every
 * engine computed the same outputs; never a speed.
 */
describe('pnpm bench --quick', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'sepconv-bench-'));
  let stdout: string;
  let stderr: string;
  let results: BenchResults;

  beforeAll(async () => {
    const out = join(outDir, 'quick.json');
    ({ stdout, stderr } = await promisify(execFile)('pnpm', ['bench', '--quick', '--out', out], {
      cwd: rootDir,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
      maxBuffer: 16 * 1024 * 1024,
    }));
    results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('prints a table that fits a 120-column terminal, and plain progress lines into a pipe', () => {
    const lines = stdout.split('\n');
    expect(lines.some((line) => line.includes('speed-up vs peer'))).toBe(true);
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(120);
    expect(stderr).toContain(`[${quickLayers.length}/${quickLayers.length}] done`);
    expect(`${stdout}${stderr}`).not.toMatch(/\x1b\[/);
  });

  it('runs every contender on every quick case', () => {
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
        // A local run keeps every sample; `--save` leaves them out (see trim-results.test.ts).
        expect(r.samplesMs!.length, where).toBeGreaterThanOrEqual(QUICK_SETTINGS.minRuns);
        expect(r.runs, where).toBe(r.samplesMs!.length);
        expect(r.bestMs!, where).toBeLessThanOrEqual(r.medianMs!);
        expect(r.gflops!, where).toBeGreaterThan(0);
        // The roofline is the measured CPU profile's, so only CPU contenders get one.
        if (kindOf(r.contender) === 'cpu') {
          expect(r.predictedMs!, where).toBeGreaterThan(0);
          expect(['compute', 'memory']).toContain(r.bound);
        } else {
          expect(r.predictedMs, where).toBeUndefined();
        }
        // Speed-ups only against contenders of the same kind: CPU with CPU, GPU with GPU.
        const sameKind = contenders.filter((c) => c.kind === kindOf(r.contender) && c.name !== r.contender).map((c) => c.name);
        expect(Object.keys(r.speedupVs!).sort(), where).toEqual(sameKind.sort());
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
  });
});
