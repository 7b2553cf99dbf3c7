import { textTable } from '@sepconv/cost';
import type { KernelName } from '@sepconv/tensor';

/** One candidate of a step: a kernel variant's name (or `'unfused'`) and its best time, when it was timed. */
export interface TunedCandidate {
  readonly name: string;
  /** Best (minimum) milliseconds of one call including its read back; undefined when not timed (budget spent, or one candidate only). */
  readonly ms?: number | undefined;
}

/**
 * Where a step's choice came from: `'measured'` in this run, `'cache'` (an earlier run on this
 * device fingerprint), `'budget'` (the budget ran out first: the backend's dispatch choice
 * stays), `'single'` (one candidate: nothing to choose).
 */
export type TuningSource = 'measured' | 'cache' | 'budget' | 'single';

/** The tuning of one convolution step of a plan. */
export interface StepTuning {
  /** Index of the step in `model.plan.steps`. */
  readonly step: number;
  /** The spec layers it runs (a convolution and what was folded into it; two convolutions for a separable step). */
  readonly layers: readonly string[];
  /** The backend operation. */
  readonly op: KernelName;
  /** The cost model's roofline for the step's layers, in milliseconds: the prior that orders tuning (largest first). */
  readonly predictedMs: number;
  /** The candidates in the backend's dispatch order (the first is what runs untuned). */
  readonly candidates: readonly TunedCandidate[];
  /** The candidate the plan now runs. */
  readonly chosen: string;
  readonly source: TuningSource;
}

/** What `instantiate(…, { tune })` measured and chose: `model.tuning`. */
export interface TuningReport {
  /** The backend's device fingerprint, the cache key's first half. */
  readonly fingerprint: string;
  /** The budget this run had, in milliseconds. */
  readonly budgetMs: number;
  /** Milliseconds spent tuning (cache lookups included). */
  readonly elapsedMs: number;
  /** One entry per convolution step, in plan order. */
  readonly steps: readonly StepTuning[];
}

const formatMs = (ms: number | undefined): string => (ms === undefined ? '—' : ms < 0.1 ? ms.toFixed(4) : ms.toFixed(3));

/** The longest ending every variant name shares from a `-` on (e.g. `-f32-wasmrelaxedsimd`), left out of the table to keep it narrow. */
function sharedSuffix(names: readonly string[]): string {
  if (names.length === 0) return '';
  const parts = names.map((name) => name.split('-'));
  let suffix: string[] = [];
  for (let k = 1; parts.every((p) => p.length > k); k++) {
    const tail = parts[0]!.slice(-k);
    if (!parts.every((p) => p.slice(-k).join('-') === tail.join('-'))) break;
    suffix = tail;
  }
  return suffix.length === 0 ? '' : `-${suffix.join('-')}`;
}

/**
 * A tuning report as a plain-text table, one row per step: its first layer, the predicted time,
 * each candidate's best time (the chosen one marked `*`; the ending all variant names share is
 * named once in the header) and where the choice came from.
 */
export function formatTuningReport(report: TuningReport): string {
  const variants = [...new Set(report.steps.flatMap((step) => step.candidates.map((c) => c.name)))].filter((name) => name.includes('-'));
  const suffix = sharedSuffix(variants);
  const short = (name: string): string => (suffix !== '' && name.endsWith(suffix) ? name.slice(0, -suffix.length) : name);
  const rows = report.steps.map((step) => [
    step.layers[0] ?? '',
    formatMs(step.predictedMs),
    step.candidates.map((c) => `${c.name === step.chosen ? '*' : ''}${short(c.name)} ${formatMs(c.ms)}`).join(', '),
    step.source,
  ]);
  // Two header lines: a fingerprint alone can fill a terminal's width.
  const header = [
    `Tuned on ${report.fingerprint}`,
    `${report.elapsedMs.toFixed(0)} ms of a ${report.budgetMs} ms budget${suffix ? `; variant names end in ${suffix}` : ''}`,
  ];
  return [...header, ...textTable(['layer', 'predicted ms', 'candidates: best ms (* chosen)', 'source'], rows, [false, true, false, false])].join(
    '\n',
  );
}
