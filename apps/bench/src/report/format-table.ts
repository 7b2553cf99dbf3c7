import Table from 'cli-table3';
import type { BenchResults, CaseResult, ContenderResult } from '../results.js';

const NONE = '—';

function ms(value: number | undefined): string {
  if (value === undefined) return NONE;
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3);
}

function ratio(value: number | undefined): string {
  return value === undefined ? NONE : value >= 10 ? `${value.toFixed(1)}×` : `${value.toFixed(2)}×`;
}

/** Column headers stay narrow: `onnxruntime-node-2t` → `ort-node-2t`. */
function shortName(name: string): string {
  return name.replace(/^onnxruntime-/, 'ort-');
}

function count(value: number): string {
  return value >= 1e6 ? `${(value / 1e6).toFixed(1)}M` : value >= 1e3 ? `${(value / 1e3).toFixed(1)}k` : String(value);
}

function plain(options: { head: string[] }): Table.Table {
  // No colours: the table also goes to CI logs and files.
  return new Table({ head: options.head, style: { head: [], border: [], compact: true } });
}

/**
 * The peers a row is compared with: every `peer` contender that was available, in list
 * order. Rows of sepconv contenders show their speed-up against each.
 */
function peerNames(results: BenchResults): string[] {
  return results.contenders.filter((c) => c.role === 'peer' && !c.unavailable).map((c) => c.name);
}

function caseRows(table: Table.Table, caseResult: CaseResult, peers: readonly string[]): void {
  table.push([{ colSpan: 7 + peers.length, content: `${caseResult.title}   ${count(caseResult.multAdds)} mult-adds, ${caseResult.arithmeticIntensity.toFixed(1)} FLOP/B` }]);
  // Contenders that do not run a case (the reference on big shapes, a variant on another op)
  // are left out of the table; the JSON keeps the reason.
  for (const r of caseResult.results) if (r.skipped === undefined) table.push(resultRow(r, peers));
}

function resultRow(r: ContenderResult, peers: readonly string[]): Table.HorizontalTableRow {
  if (r.bestMs === undefined) {
    return [r.contender, { colSpan: 6 + peers.length, content: `error: ${r.error ?? 'no timed run'}` }];
  }
  const check = r.check && !r.check.ok ? ` ✗ differs from ${r.check.against} by ${r.check.maxAbsError.toExponential(1)}` : '';
  return [
    `${r.contender}${check}`,
    ms(r.bestMs),
    ms(r.medianMs),
    r.gflops === undefined ? NONE : r.gflops.toFixed(1),
    ms(r.predictedMs) + (r.bound ? ` ${r.bound === 'compute' ? 'C' : 'M'}` : ''),
    ratio(r.measuredOverPredicted),
    String(r.samplesMs?.length ?? 0),
    ...peers.map((peer) => (peer === r.contender ? NONE : ratio(r.speedupVs?.[peer]))),
  ];
}

/**
 * The bench's results as plain-text tables: one block of rows per case (best and median ms,
 * GFLOP/s from the best time, roofline prediction with its bound, measured/predicted, runs,
 * then the speed-up against each peer: peer's best / this best), then the separable/standard
 * ratios, fused vs unfused, and the targets.
 */
export function formatResults(results: BenchResults): string {
  const peers = peerNames(results);
  const main = plain({ head: ['contender', 'best ms', 'median ms', 'GFLOP/s', 'roofline ms', 'meas/pred', 'runs', ...peers.map((p) => `vs ${shortName(p)}`)] });
  for (const caseResult of results.cases) caseRows(main, caseResult, peers);
  const parts = [main.toString()];

  const profile = plain({ head: ['threads', 'peak GFLOP/s', 'bandwidth GB/s'] });
  for (const e of results.deviceProfile.entries) profile.push([String(e.threads), (e.peakFlops / 1e9).toFixed(1), (e.memoryBandwidth / 1e9).toFixed(1)]);
  const m = results.machine;
  parts.push(`Machine: ${m.cpuModel}, ${m.logicalCores} logical cores, Node ${m.node}, load average at start ${m.loadAverage.map((l) => l.toFixed(2)).join(' / ')}`);
  parts.push(`Device profile (measured at start; roofline column uses the contender's thread count; C/M = compute/memory bound):\n${profile.toString()}`);

  if (results.separableVsStandard.length > 0) {
    const t = plain({ head: ['group', 'contender', 'depthwise ms', 'pointwise ms', 'standard ms', '(dw+pw)/std', 'theory 1/N+1/Dk²'] });
    for (const s of results.separableVsStandard) t.push([s.group, s.contender, ms(s.depthwiseMs), ms(s.pointwiseMs), ms(s.standardMs), s.measuredRatio.toFixed(3), s.theoreticalRatio.toFixed(3)]);
    parts.push(`Separable vs standard (best times):\n${t.toString()}`);
  }
  if (results.fusedVsUnfused.length > 0) {
    const t = plain({ head: ['group', 'contender', 'fused ms', 'dw then pw ms', 'speed-up'] });
    for (const f of results.fusedVsUnfused) t.push([f.group, f.contender, ms(f.fusedMs), ms(f.unfusedMs), ratio(f.speedup)]);
    parts.push(`Fused separable vs depthwise then pointwise (best times):\n${t.toString()}`);
  }
  if (results.targets.length > 0) {
    const t = plain({ head: ['target', 'measured', 'needs', 'met'] });
    for (const target of results.targets) t.push([target.description, target.value.toFixed(3), `${target.atLeast ? '≥' : '≤'} ${target.threshold}`, target.met ? 'yes' : 'NO']);
    parts.push(`Targets:\n${t.toString()}`);
  }
  const unavailable = results.contenders.filter((c) => c.unavailable);
  if (unavailable.length > 0) parts.push(`Unavailable: ${unavailable.map((c) => `${c.name} (${c.unavailable})`).join('; ')}`);
  return parts.join('\n\n');
}
