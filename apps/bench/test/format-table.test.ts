import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatResults, RESULTS_DIR, TARGET_GOALS, type BenchResults } from '../src/index.js';

/** The committed full layer runs (what `--save` wrote), newest first. */
function committedFullRuns(): BenchResults[] {
  return readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.json') && !f.startsWith('networks-') && f !== 'package-sizes.json')
    .map((f) => JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8')) as BenchResults)
    .filter((r) => r.schemaVersion === 1 && r.mode === 'full')
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

const width = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));

describe('formatResults on a committed full run', () => {
  const runs = committedFullRuns();
  const [latest] = runs;

  it('has a committed full run to format', () => {
    expect(latest).toBeDefined();
  });

  it('fits 120 columns by default, with every case and its peer ratio', () => {
    for (const run of runs) expect(width(formatResults(run))).toBeLessThanOrEqual(120);
    const text = formatResults(latest!);
    for (const c of latest!.cases) expect(text).toContain(c.title);
    expect(text).toMatch(/│ sepconv-cpu-2t +│[^\n]*ort-node-2t │/);
  });

  it('never sets a CPU row against a GPU peer, nor a GPU row against a CPU one', () => {
    const text = formatResults(latest!, { wide: true });
    const kind = new Map(latest!.contenders.map((c) => [c.name, c.kind]));
    const header = text
      .split('\n')[1]!
      .split('│')
      .map((cell) => cell.trim());
    for (const line of text.split('\n')) {
      const cells = line.split('│').map((cell) => cell.trim());
      const rowKind = kind.get(cells[1] ?? '');
      if (!rowKind) continue;
      cells.forEach((cell, i) => {
        const peer = header[i]?.startsWith('vs ') ? header[i]!.slice(3).replace(/^ort-/, 'onnxruntime-') : undefined;
        if (peer && kind.get(peer) !== rowKind) expect(cell, `${cells[1]} ${header[i]}`).toBe('—');
      });
    }
  });

  it('--wide shows every available peer, measured/predicted and runs', () => {
    const text = formatResults(latest!, { wide: true });
    for (const peer of latest!.contenders.filter((c) => c.role === 'peer' && !c.unavailable))
      expect(text).toContain(`vs ${peer.name.replace(/^onnxruntime-/, 'ort-')}`);
    expect(text).toContain('meas/pred');
    expect(text).toContain('runs');
  });

  it('--peer picks the peer a row is compared with', () => {
    const text = formatResults(latest!, { peers: ['tfjs-wasm'] });
    expect(text).toMatch(/│ sepconv-cpu +│[^\n]*tfjs-wasm +│/);
    expect(text).not.toMatch(/│ sepconv-cpu +│[^\n]*ort-node/);
  });

  it("labels the targets as the project's own and says where each comes from", () => {
    const text = formatResults(latest!);
    expect(text).toContain("Targets: sepconv's own goals, set by this project");
    for (const goal of new Set(latest!.targets.map((t) => t.goal))) expect(text).toContain(TARGET_GOALS[goal]);
  });
});
