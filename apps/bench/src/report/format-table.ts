import Table from 'cli-table3';
import type { BenchResults, CaseResult, ContenderInfo, ContenderResult } from '../results.js';
import { TARGET_GOALS, type TargetGoal } from '../target-goals.js';
import { chosenPeer } from './chosen-peer.js';

const NONE = '—';

/** Longest error text the compact table shows; the JSON keeps all of it. */
const ERROR_WIDTH = 80;

/**
 * Widest the compact table's contender column grows; a longer name (a `--variants`
 * contender, `sepconv-cpu[<variant>]`) wraps onto a second line so the table stays under 120.
 */
const NAME_WIDTH = 40;

/** How to lay the results out. */
export interface FormatOptions {
  /** Every same-kind peer as a column, the roofline ratio and the run count (wider than 120 columns). */
  readonly wide?: boolean | undefined;
  /** Peers the compact table compares with (`--peer`); default: same kind, same threads. */
  readonly peers?: readonly string[] | undefined;
}

function ms(value: number | undefined): string {
  if (value === undefined) return NONE;
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3);
}

function ratio(value: number | undefined): string {
  return value === undefined ? NONE : value >= 10 ? `${value.toFixed(1)}×` : `${value.toFixed(2)}×`;
}

/** Narrow names in headers and the ratio column: `onnxruntime-node-2t` → `ort-node-2t`. */
function shortName(name: string): string {
  return name.replace(/^onnxruntime-/, 'ort-');
}

function count(value: number): string {
  return value >= 1e6 ? `${(value / 1e6).toFixed(1)}M` : value >= 1e3 ? `${(value / 1e3).toFixed(1)}k` : String(value);
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

function plain(head: string[], firstColumnWidth?: number): Table.Table {
  // No colours: the table also goes to CI logs and files.
  const style = { head: [], border: [], compact: true };
  if (firstColumnWidth === undefined) return new Table({ head, style });
  return new Table({ head, style, colWidths: [firstColumnWidth], wordWrap: true, wrapOnWordBoundary: false });
}

function roofline(r: ContenderResult): string {
  return ms(r.predictedMs) + (r.bound ? ` ${r.bound === 'compute' ? 'C' : 'M'}` : '');
}

function caseTitle(caseResult: CaseResult): string {
  return `${caseResult.title}   ${count(caseResult.multAdds)} mult-adds, ${caseResult.arithmeticIntensity.toFixed(1)} FLOP/B`;
}

/** The row of a contender that did not time (an error): name, then the reason across the rest. */
function errorRow(r: ContenderResult, span: number): Table.HorizontalTableRow {
  return [r.contender, { colSpan: span, content: truncate(`error: ${r.error ?? 'no timed run'}`, ERROR_WIDTH) }];
}

/** A failed cross-check, under the row it belongs to. */
function checkNote(r: ContenderResult, span: number): Table.HorizontalTableRow[] {
  if (!r.check || r.check.ok) return [];
  return [
    [
      {
        colSpan: span,
        content: `  ✗ ${r.contender} differs from ${r.check.against} by ${r.check.maxAbsError.toExponential(1)} (tolerance ${r.check.tolerance.toExponential(1)})`,
      },
    ],
  ];
}

/**
 * The default table, under 120 columns: contender, best and median ms, GFLOP/s, the
 * roofline prediction, and the speed-up against one peer of the same kind.
 */
function compactTable(results: BenchResults, preferred: readonly string[]): string {
  const info = new Map(results.contenders.map((c) => [c.name, c]));
  const longest = Math.max('contender'.length, ...results.contenders.map((c) => c.name.length));
  // + 2: cli-table3 counts the cell's padding in the column width.
  const table = plain(['contender', 'best ms', 'median ms', 'GFLOP/s', 'roofline ms', 'speed-up vs peer'], Math.min(longest, NAME_WIDTH) + 2);
  for (const caseResult of results.cases) {
    table.push([{ colSpan: 6, content: caseTitle(caseResult) }]);
    // Contenders that do not run a case (the reference on big shapes, a variant on another op)
    // are left out of the table; the JSON keeps the reason.
    for (const r of caseResult.results) {
      if (r.skipped !== undefined) continue;
      if (r.bestMs === undefined) {
        table.push(errorRow(r, 5));
        continue;
      }
      const contender = info.get(r.contender);
      const peer = contender && chosenPeer(contender, results.contenders, preferred);
      const speedup = peer && r.speedupVs?.[peer];
      table.push([
        r.contender,
        ms(r.bestMs),
        ms(r.medianMs),
        r.gflops === undefined ? NONE : r.gflops.toFixed(1),
        roofline(r),
        speedup ? `${ratio(speedup)} ${shortName(peer)}` : NONE,
      ]);
      table.push(...checkNote(r, 6));
    }
  }
  return table.toString();
}

/**
 * `--wide`: every available peer as a column (a speed-up only against peers of the same
 * kind), measured/predicted and the number of timed runs.
 */
function wideTable(results: BenchResults): string {
  const peers = results.contenders.filter((c) => c.role === 'peer' && !c.unavailable);
  const kindOf = (name: string): ContenderInfo['kind'] | undefined => results.contenders.find((c) => c.name === name)?.kind;
  const span = 7 + peers.length;
  const table = plain([
    'contender',
    'best ms',
    'median ms',
    'GFLOP/s',
    'roofline ms',
    'meas/pred',
    'runs',
    ...peers.map((p) => `vs ${shortName(p.name)}`),
  ]);
  for (const caseResult of results.cases) {
    table.push([{ colSpan: span, content: caseTitle(caseResult) }]);
    for (const r of caseResult.results) {
      if (r.skipped !== undefined) continue;
      if (r.bestMs === undefined) {
        table.push(errorRow(r, span - 1));
        continue;
      }
      const ratios = peers.map((p) => (p.name === r.contender || p.kind !== kindOf(r.contender) ? NONE : ratio(r.speedupVs?.[p.name])));
      table.push([
        r.contender,
        ms(r.bestMs),
        ms(r.medianMs),
        r.gflops === undefined ? NONE : r.gflops.toFixed(1),
        roofline(r),
        ratio(r.measuredOverPredicted),
        String(r.runs ?? r.samplesMs?.length ?? 0),
        ...ratios,
      ]);
      table.push(...checkNote(r, span));
    }
  }
  return table.toString();
}

function targetsSection(results: BenchResults): string {
  const goals = [...new Set(results.targets.map((t) => t.goal))];
  const t = plain(['target', 'measured', 'needs', 'met', 'goal']);
  for (const target of results.targets) {
    t.push([
      target.description,
      target.value.toFixed(3),
      `${target.atLeast ? '≥' : '≤'} ${target.threshold}`,
      target.met ? 'yes' : 'NO',
      `[${goals.indexOf(target.goal) + 1}]`,
    ]);
  }
  const legend = goals.map((goal, i) => `  [${i + 1}] ${TARGET_GOALS[goal as TargetGoal] ?? goal}`);
  return [
    "Targets: sepconv's own goals, set by this project (not an outside standard); NO means this run missed one.",
    t.toString(),
    'Where each goal comes from:',
    ...legend,
  ].join('\n');
}

/**
 * The bench's results as plain-text tables: one block of rows per case, compact by default
 * (under 120 columns; see {@link FormatOptions} for `wide`), then the machine and device
 * profile, the separable/standard ratios, fused vs unfused, and the project's targets.
 */
export function formatResults(results: BenchResults, options: FormatOptions = {}): string {
  const parts = [options.wide ? wideTable(results) : compactTable(results, options.peers ?? [])];
  parts.push(
    options.wide
      ? 'Best and median ms; GFLOP/s from the best time; roofline: the cost model on the device profile (C/M: compute/memory bound); vs <peer>: peer best / this best, same kind only.'
      : 'GFLOP/s from the best time; roofline: the cost model on the device profile (C/M: compute/memory bound);\nspeed-up vs peer: peer best / this best, against a peer of the same kind. --wide shows every peer; the JSON has all.',
  );

  const profile = plain(['threads', 'peak GFLOP/s', 'int8 GOP/s', 'bandwidth GB/s']);
  for (const e of results.deviceProfile.entries) {
    const int8 = e.peakInt8Ops === undefined ? 'n/a' : (e.peakInt8Ops / 1e9).toFixed(1);
    profile.push([String(e.threads), (e.peakFlops / 1e9).toFixed(1), int8, (e.memoryBandwidth / 1e9).toFixed(1)]);
  }
  const m = results.machine;
  parts.push(
    `Machine: ${m.cpuModel}, ${m.logicalCores} logical cores, Node ${m.node}, load average at start ${m.loadAverage.map((l) => l.toFixed(2)).join(' / ')}`,
  );
  parts.push(`Device profile (measured at start; the roofline uses the contender's thread count):\n${profile.toString()}`);

  if (results.separableVsStandard.length > 0) {
    const t = plain(['group', 'contender', 'depthwise ms', 'pointwise ms', 'standard ms', '(dw+pw)/std', 'theory 1/N+1/Dk²']);
    for (const s of results.separableVsStandard)
      t.push([
        s.group,
        s.contender,
        ms(s.depthwiseMs),
        ms(s.pointwiseMs),
        ms(s.standardMs),
        s.measuredRatio.toFixed(3),
        s.theoreticalRatio.toFixed(3),
      ]);
    parts.push(`Separable vs standard (best times):\n${t.toString()}`);
  }
  if (results.fusedVsUnfused.length > 0) {
    const t = plain(['group', 'contender', 'fused ms', 'dw then pw ms', 'speed-up']);
    for (const f of results.fusedVsUnfused) t.push([f.group, f.contender, ms(f.fusedMs), ms(f.unfusedMs), ratio(f.speedup)]);
    parts.push(`Fused separable vs depthwise then pointwise (best times):\n${t.toString()}`);
  }
  if (results.targets.length > 0) parts.push(targetsSection(results));
  const unavailable = results.contenders.filter((c) => c.unavailable);
  if (unavailable.length > 0)
    parts.push(['Unavailable:', ...unavailable.map((c) => `  ${c.name}: ${truncate(c.unavailable!, ERROR_WIDTH)}`)].join('\n'));
  return parts.join('\n\n');
}
