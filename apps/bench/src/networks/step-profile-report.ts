import Table from 'cli-table3';
import type { ProfiledStep, StepProfile } from './step-profile.js';

function plain(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [], compact: true } });
}

const ms = (value: number): string => value.toFixed(3);

/** first thread count's time / last's: the speed-up of the most threads over the fewest. */
function ratio(first: number, last: number): string {
  return last > 0 ? (first / last).toFixed(2) : '–';
}

/** Group of a step in the summary: its op, and whether the most threads split it or one ran it whole. */
function groupOf(step: ProfiledStep): string {
  const last = step.runs[step.runs.length - 1]!;
  return `${step.op} ${last.chunks === 1 ? 'whole (1 thread)' : 'split'}`;
}

function stepTable(profile: StepProfile): string {
  const counts = profile.threads;
  const table = plain([
    '#',
    'op',
    'units/granule',
    'M work',
    ...counts.map((t) => `chunks ${t}t`),
    ...counts.map((t) => `best ${t}t`),
    `${counts[0]}t/${counts[counts.length - 1]}t`,
    ...counts.map((t) => `G work/s ${t}t`),
  ]);
  for (const [index, step] of profile.steps.entries()) {
    table.push([
      String(index),
      step.op,
      `${step.units}/${step.granule}`,
      (step.work / 1e6).toFixed(2),
      ...step.runs.map((run) => String(run.chunks)),
      ...step.runs.map((run) => ms(run.best)),
      ratio(step.runs[0]!.best, step.runs[step.runs.length - 1]!.best),
      ...step.runs.map((run) => (step.work / run.best / 1e6).toFixed(1)),
    ]);
  }
  return table.toString();
}

function summaryTable(profile: StepProfile): string {
  const counts = profile.threads;
  const groups = new Map<string, { steps: number; work: number; best: number[] }>();
  for (const step of profile.steps) {
    const key = groupOf(step);
    const group = groups.get(key) ?? { steps: 0, work: 0, best: counts.map(() => 0) };
    group.steps++;
    group.work += step.work;
    step.runs.forEach((run, index) => (group.best[index]! += run.best));
    groups.set(key, group);
  }
  const totals = counts.map((_, index) => profile.steps.reduce((sum, step) => sum + step.runs[index]!.best, 0));
  const table = plain([
    'group',
    'steps',
    'M work',
    ...counts.map((t) => `Σ best ${t}t`),
    `${counts[0]}t/${counts[counts.length - 1]}t`,
    ...counts.map((t) => `share ${t}t`),
  ]);
  const sorted = [...groups.entries()].sort((a, b) => b[1].best[0]! - a[1].best[0]!);
  for (const [key, group] of sorted) {
    table.push([
      key,
      String(group.steps),
      (group.work / 1e6).toFixed(1),
      ...group.best.map(ms),
      ratio(group.best[0]!, group.best[group.best.length - 1]!),
      ...group.best.map((value, index) => `${((100 * value) / totals[index]!).toFixed(0)}%`),
    ]);
  }
  table.push([
    'all steps',
    String(profile.steps.length),
    '',
    ...totals.map(ms),
    ratio(totals[0]!, totals[totals.length - 1]!),
    ...counts.map(() => ''),
  ]);
  const predict = profile.predict;
  table.push([
    'host, outside the jobs (best / median)',
    '',
    '',
    ...profile.host.map((p) => `${ms(p.best)} / ${ms(p.median)}`),
    '',
    ...counts.map(() => ''),
  ]);
  table.push([
    'whole predict (best / median)',
    '',
    '',
    ...predict.map((p) => `${ms(p.best)} / ${ms(p.median)}`),
    `${ratio(predict[0]!.best, predict[predict.length - 1]!.best)} / ${ratio(predict[0]!.median, predict[predict.length - 1]!.median)}`,
    ...counts.map(() => ''),
  ]);
  return table.toString();
}

/**
 * A network's step profile as text: every kernel job (op, split, multiply-adds, best ms on each
 * thread count, the speed-up, GMAC/s), then a summary by op and split — which steps the most
 * threads split and which one thread ran whole — against the whole predict's time.
 */
export function formatStepProfile(profile: StepProfile): string {
  return [
    `${profile.caseId}: per-step profile on ${profile.threads.join(' and ')} thread(s)${profile.pipeline ? '' : ', jobs run at the flush (unpipelined)'}`,
    stepTable(profile),
    "work: what the parallel threshold weighs, in multiply-adds at a convolution's compute-bound rate (element-wise ops: 8 per element; 1–2-pixel GEMMs scaled for streaming their weights).",
    "By op and split (best ms summed over steps; each step's time runs from the previous step's end, barrier waits included):",
    summaryTable(profile),
  ].join('\n');
}
