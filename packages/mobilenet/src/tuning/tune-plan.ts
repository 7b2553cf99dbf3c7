import { predictLayer } from '@sepconv/cost';
import type { ModelSpec } from '@sepconv/graph';
import { isTunable, randomUniform, type Backend, type KernelCall, type KernelName, type Tensor, type TunableBackend } from '@sepconv/tensor';
import { UNFUSED_VARIANT, type ConvStep, type ModelPlan, type PlanStep, type SeparableStep } from '../runtime/model-plan.js';
import { runStep, type RunContext } from '../runtime/step-runners.js';
import { convCall, separableCall } from '../runtime/step-kernel-calls.js';
import { stepGeometryKey } from './step-geometry-key.js';
import type { ResolvedTuneOptions } from './tune-options.js';
import type { TuneRecord } from './tune-cache.js';
import type { StepTuning, TunedCandidate, TuningReport, TuningSource } from './tuning-report.js';

type TunableStep = ConvStep | SeparableStep;

/** Steps of one geometry: tuned once, the choice applied to all. */
interface StepGroup {
  readonly key: string;
  readonly indices: number[];
  readonly step: TunableStep;
  readonly x: Tensor;
  readonly candidates: readonly string[];
  /** The roofline of one step, milliseconds. */
  readonly predictedMs: number;
  chosen?: string;
  times: Record<string, number>;
  source?: TuningSource;
}

/** A backend that can place a host tensor on its device once. */
interface UploadingBackend extends Backend {
  upload(x: Tensor): Tensor;
}

const isTunableStep = (step: PlanStep): step is TunableStep => step.kind === 'conv' || step.kind === 'separable';

const opOf = (step: TunableStep): KernelName => (step.kind === 'conv' ? step.op : 'separableConv2d');

/** The step as a {@link KernelCall} on `x` (the backend's separable kernel for a separable step), to ask the backend which variants can run it. */
function kernelCall(step: TunableStep, x: Tensor, ctx: RunContext): KernelCall {
  return step.kind === 'conv' ? convCall(step, x, ctx) : separableCall(step, x, ctx);
}

/** The cost model's roofline for the spec layers a step runs, in ms; a layer it cannot count adds nothing (and so sorts late). */
function predictedMs(step: TunableStep, spec: ModelSpec, options: ResolvedTuneOptions): number {
  let seconds = 0;
  for (const name of step.layers) {
    const layer = spec.layers.find((l) => l.name === name);
    if (!layer) continue;
    try {
      seconds += predictLayer(layer, options.profile).seconds;
    } catch {
      // Counting is the prior only: tuning still measures the step.
    }
  }
  return seconds * 1000;
}

/**
 * A measured call this many times slower than the best candidate's so far ends the candidate's
 * repeats: it cannot win, and a pathological variant (SwiftShader ran a barrier-tiled GEMM on a
 * one-pixel classifier 60× slower than the register-blocked one: 3.3 s a call) would otherwise
 * spend the budget several times over.
 */
const HOPELESS_RATIO = 3;

/**
 * Best milliseconds of `run` (one call and the read that waits for it) after the warm-up, or
 * `undefined` when the deadline passed during the warm-up (a first call includes compiling the
 * kernel, so it is no measurement). Repeats stop once the deadline has passed or a call is
 * {@link HOPELESS_RATIO} times slower than `bestSoFar`.
 */
async function timeCandidate(
  run: () => Tensor,
  backend: Backend,
  options: ResolvedTuneOptions,
  deadline: number,
  bestSoFar: number,
): Promise<number | undefined> {
  const sample = async (): Promise<number> => {
    const start = options.now();
    const y = run();
    try {
      await backend.read(y);
      return options.now() - start;
    } finally {
      y.dispose();
    }
  };
  for (let i = 0; i < options.warmup; i++) await sample();
  if (options.warmup > 0 && options.now() >= deadline) return undefined;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < options.repeats; i++) {
    best = Math.min(best, await sample());
    if (options.now() >= deadline || best > HOPELESS_RATIO * bestSoFar) break;
  }
  return best;
}

/**
 * Times the group's candidates in dispatch order until the deadline; the fastest wins, the
 * first (the backend's own choice) on a tie. Complete results are cached.
 */
async function measureGroup(group: StepGroup, ctx: RunContext, options: ResolvedTuneOptions, fingerprint: string, deadline: number): Promise<void> {
  let completed = true;
  for (const name of group.candidates) {
    if (options.now() >= deadline) {
      completed = false;
      break;
    }
    const bestSoFar = Math.min(...Object.values(group.times));
    const ms = await timeCandidate(() => runStep({ ...group.step, variant: name }, [group.x], ctx), ctx.backend, options, deadline, bestSoFar);
    if (ms === undefined) completed = false;
    else group.times[name] = ms;
  }
  const timed = group.candidates.filter((name) => group.times[name] !== undefined);
  if (timed.length === 0) {
    // The budget ran out while the first candidate warmed up: nothing was measured.
    Object.assign(group, { chosen: group.candidates[0], source: 'budget' });
    return;
  }
  group.chosen = timed.reduce((best, name) => (group.times[name]! < group.times[best]! ? name : best), timed[0]!);
  group.source = 'measured';
  // A partial result (the budget ran out among the candidates) is this run's best guess, not the device's answer.
  if (completed) await options.cache.set(`${fingerprint}|${group.key}`, { chosen: group.chosen, times: { ...group.times } });
}

/** Groups the plan's convolution steps by geometry, with an input for each group and its candidates. */
function groupSteps(
  plan: ModelPlan,
  spec: ModelSpec,
  ctx: RunContext,
  backend: TunableBackend,
  options: ResolvedTuneOptions,
  made: Tensor[],
): StepGroup[] {
  const groups = new Map<string, StepGroup>();
  const inputs = new Map<string, Tensor>();
  plan.steps.forEach((step, index) => {
    if (!isTunableStep(step)) return;
    // Tuned at batch 1: what a single prediction runs.
    const shape = [1, ...plan.slots[step.inputs[0]!]!.physical.slice(1)];
    const key = stepGeometryKey(step, shape);
    const existing = groups.get(key);
    if (existing) {
      existing.indices.push(index);
      return;
    }
    let x = inputs.get(JSON.stringify(shape));
    if (!x) {
      const host = randomUniform(shape, inputs.size + 1);
      x = typeof (ctx.backend as Partial<UploadingBackend>).upload === 'function' ? (ctx.backend as UploadingBackend).upload(host) : host;
      if (x !== host) made.push(x);
      inputs.set(JSON.stringify(shape), x);
    }
    const variants = backend.kernelVariants(kernelCall(step, x, ctx));
    const candidates = step.kind === 'separable' ? [...variants, UNFUSED_VARIANT] : variants;
    groups.set(key, { key, indices: [index], step, x, candidates, predictedMs: predictedMs(step, spec, options), times: {} });
  });
  return [...groups.values()];
}

function stepTuning(plan: ModelPlan, index: number, group: StepGroup): StepTuning {
  const step = plan.steps[index] as TunableStep;
  const candidates: TunedCandidate[] = group.candidates.map((name) => ({ name, ms: group.times[name] }));
  return {
    step: index,
    layers: step.layers,
    op: opOf(step),
    predictedMs: group.predictedMs,
    candidates,
    chosen: group.chosen!,
    source: group.source!,
  };
}

/** The cached record for `group`, when it names one of today's candidates (a backend update may have renamed them). */
async function cached(group: StepGroup, fingerprint: string, options: ResolvedTuneOptions): Promise<TuneRecord | undefined> {
  const record = await options.cache.get(`${fingerprint}|${group.key}`);
  return record !== undefined && group.candidates.includes(record.chosen) ? record : undefined;
}

/**
 * Tunes a plan's convolution steps on `ctx.backend`: for each distinct geometry, the cached
 * choice for this device fingerprint, or else each candidate variant timed (warm-up, repeats,
 * best), geometries in order of the cost model's predicted time (largest first) while the
 * budget lasts; the rest keep the backend's dispatch. Returns the plan with each measured or
 * cached choice recorded on its steps (`variant`), and the report.
 */
export async function tunePlan(
  plan: ModelPlan,
  spec: ModelSpec,
  ctx: RunContext,
  options: ResolvedTuneOptions,
): Promise<{ plan: ModelPlan; report: TuningReport }> {
  const start = options.now();
  const backend = ctx.backend;
  if (!isTunable(backend)) {
    return { plan, report: { fingerprint: `${backend.name} (no kernel variants to tune)`, budgetMs: options.budgetMs, elapsedMs: 0, steps: [] } };
  }
  const fingerprint = backend.fingerprint();
  const made: Tensor[] = [];
  try {
    const groups = groupSteps(plan, spec, ctx, backend, options, made);
    const deadline = start + options.budgetMs;
    let done = 0;
    const progress = (group: StepGroup): void => {
      done++;
      options.onProgress?.({ done, total: groups.length, fraction: done / groups.length, step: stepTuning(plan, group.indices[0]!, group) });
    };
    const toMeasure: StepGroup[] = [];
    for (const group of groups) {
      const record = group.candidates.length > 1 ? await cached(group, fingerprint, options) : undefined;
      if (group.candidates.length <= 1) Object.assign(group, { chosen: group.candidates[0], source: 'single' });
      else if (record) Object.assign(group, { chosen: record.chosen, times: { ...record.times }, source: 'cache' });
      else {
        toMeasure.push(group);
        continue;
      }
      progress(group);
    }
    // The prior: the geometries the model spends most time in (one step's roofline × its repeats) first.
    toMeasure.sort((a, b) => b.predictedMs * b.indices.length - a.predictedMs * a.indices.length);
    for (const group of toMeasure) {
      if (options.now() >= deadline) Object.assign(group, { chosen: group.candidates[0], source: 'budget' });
      else await measureGroup(group, ctx, options, fingerprint, deadline);
      progress(group);
    }
    const byStep = new Map(groups.flatMap((group) => group.indices.map((index) => [index, group] as const)));
    const steps = plan.steps.map((step, index) => {
      const group = byStep.get(index);
      return group && (group.source === 'measured' || group.source === 'cache') ? { ...step, variant: group.chosen } : step;
    }) as PlanStep[];
    const report: TuningReport = {
      fingerprint,
      budgetMs: options.budgetMs,
      elapsedMs: options.now() - start,
      steps: [...byStep.entries()].sort(([a], [b]) => a - b).map(([index, group]) => stepTuning(plan, index, group)),
    };
    return { plan: { ...plan, steps }, report };
  } finally {
    for (const tensor of made) tensor.dispose();
  }
}
