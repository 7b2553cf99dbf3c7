import { hostname } from 'node:os';
import { makeCaseInputs } from './cases/case-inputs.js';
import type { LayerCase } from './cases/layer-case.js';
import type { Contender, PreparedRunner } from './contender.js';
import { measureDeviceProfile } from './device/device-profile.js';
import { analyseCase, compareGroups, evaluateTargets } from './analysis.js';
import { machineInfo, packageVersion } from './machine-info.js';
import type { BenchResults, BenchSettings, CaseResult, ContenderInfo, ContenderResult } from './results.js';
import { best, compareOutputs, mean, median } from './statistics.js';

/** `--quick`: a few runs each, a short profile; for the CI smoke test, not for numbers. */
export const QUICK_SETTINGS: BenchSettings = {
  warmupRuns: 1,
  warmupSeconds: 0,
  minRuns: 3,
  maxRuns: 5,
  budgetSeconds: 0.05,
  profileSeconds: 0.05,
  seed: 1,
};

/**
 * Full mode: warm-up until 3 runs and 0.3 s (JIT tiers, packed weights, thread pools up), then
 * at least 10 timed runs and up to 2 s per contender per case, at most 200; an engine that
 * needs seconds per run warms up once and stops after 3 timed runs.
 */
export const FULL_SETTINGS: BenchSettings = {
  warmupRuns: 3,
  warmupSeconds: 0.3,
  minRuns: 10,
  maxRuns: 200,
  budgetSeconds: 2,
  profileSeconds: 0.5,
  seed: 1,
};

/** What the harness reports while it runs (the CLI draws a progress line from it). */
export interface BenchProgress {
  readonly phase: 'profile' | 'init' | 'case';
  /** Cases finished so far, of `caseCount`. */
  readonly casesDone: number;
  readonly caseCount: number;
  readonly detail: string;
}

/** What to run. */
export interface BenchOptions {
  readonly mode: 'quick' | 'full';
  readonly cases: readonly LayerCase[];
  readonly contenders: readonly Contender[];
  /** Defaults to the mode's settings. */
  readonly settings?: BenchSettings;
  readonly onProgress?: (progress: BenchProgress) => void;
}

interface ActiveRunner {
  readonly contender: Contender;
  readonly runner: PreparedRunner;
  readonly samples: number[];
  spentSeconds: number;
  done: boolean;
}

async function timeRun(active: ActiveRunner): Promise<number> {
  await active.runner.beforeRun?.();
  const start = performance.now();
  await active.runner.run();
  const wallMs = performance.now() - start;
  return active.runner.timing === 'gpu-timestamp' && active.runner.lastGpuSeconds ? active.runner.lastGpuSeconds() * 1000 : wallMs;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Runs one case on every contender: set-up, warm-up, a cross-check of every output against
 * the first contender's, then timed runs interleaved round-robin (the order rotating each
 * round) so that a slow spell of a shared machine hits every contender alike.
 */
async function runCase(layerCase: LayerCase, contenders: readonly Contender[], settings: BenchSettings): Promise<ContenderResult[]> {
  const inputs = makeCaseInputs(layerCase, settings.seed);
  const results = new Map<string, ContenderResult>();
  const active: ActiveRunner[] = [];
  try {
    for (const contender of contenders) {
      const supported = contender.supports?.(layerCase) ?? true;
      if (supported !== true) {
        results.set(contender.name, { contender: contender.name, skipped: supported });
        continue;
      }
      try {
        const runner = await contender.setup(layerCase, inputs);
        active.push({ contender, runner, samples: [], spentSeconds: 0, done: false });
      } catch (error) {
        results.set(contender.name, { contender: contender.name, error: `setup: ${errorText(error)}` });
      }
    }
    const failed = (entry: ActiveRunner, error: unknown, when: string) => {
      entry.done = true;
      results.set(entry.contender.name, { contender: entry.contender.name, error: `${when}: ${errorText(error)}` });
    };
    for (const entry of active) {
      try {
        const start = performance.now();
        // At least one run; then up to `warmupRuns` and `warmupSeconds`, but no longer than the
        // timing budget, so an engine that needs seconds per run (WebGPU on SwiftShader,
        // tfjs-cpu on a standard conv) warms up once instead of three times.
        const warming = (i: number) => {
          const elapsed = (performance.now() - start) / 1000;
          return i === 0 || ((i < settings.warmupRuns || elapsed < settings.warmupSeconds) && elapsed < settings.budgetSeconds);
        };
        for (let i = 0; warming(i); i++) {
          await entry.runner.beforeRun?.();
          await entry.runner.run();
        }
      } catch (error) {
        failed(entry, error, 'run');
      }
    }
    const checks = new Map<string, ContenderResult['check']>();
    let oracle: { name: string; output: Float32Array } | undefined;
    for (const entry of active.filter((e) => !e.done)) {
      try {
        const output = await entry.runner.output();
        if (!oracle) oracle = { name: entry.contender.name, output };
        else checks.set(entry.contender.name, { against: oracle.name, ...compareOutputs(output, oracle.output) });
      } catch (error) {
        failed(entry, error, 'output');
      }
    }
    for (let round = 0; active.some((e) => !e.done); round++) {
      const running = active.filter((e) => !e.done);
      for (let i = 0; i < running.length; i++) {
        const entry = running[(i + round) % running.length]!;
        try {
          const ms = await timeRun(entry);
          // 0.1 µs is below any timer's resolution here; rounding keeps the JSON small.
          entry.samples.push(Math.round(ms * 1e4) / 1e4);
          entry.spentSeconds += ms / 1000;
        } catch (error) {
          failed(entry, error, 'run');
          continue;
        }
        const runs = entry.samples.length;
        entry.done =
          runs >= settings.maxRuns ||
          (runs >= settings.minRuns && entry.spentSeconds >= settings.budgetSeconds) ||
          // A contender that needs seconds per run stops at 3 runs once it has had twice the
          // budget: best of 3 is enough to rank an engine 10× slower than the others.
          (runs >= Math.min(3, settings.minRuns) && entry.spentSeconds >= 2 * settings.budgetSeconds);
      }
    }
    for (const entry of active) {
      if (results.has(entry.contender.name)) continue;
      const samples = entry.samples;
      const check = checks.get(entry.contender.name);
      results.set(entry.contender.name, {
        contender: entry.contender.name,
        samplesMs: samples,
        runs: samples.length,
        bestMs: best(samples),
        medianMs: median(samples),
        meanMs: mean(samples),
        ...(check ? { check } : {}),
      });
    }
  } finally {
    for (const entry of active) {
      try {
        await entry.runner.dispose();
      } catch {
        // A runner that cannot release its resources must not hide the measurements taken.
      }
    }
  }
  return contenders.map((c) => results.get(c.name)!);
}

/**
 * Runs a bench: measures the device profile, starts every contender (one that fails to start
 * is reported unavailable and the run goes on), runs every case, and derives GFLOP/s,
 * roofline predictions, speed-ups, the separable/standard and fused/unfused ratios and the
 * project's own targets.
 */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const settings = options.settings ?? (options.mode === 'quick' ? QUICK_SETTINGS : FULL_SETTINGS);
  const startedAt = new Date();
  const startMs = performance.now();
  const caseCount = options.cases.length;
  const report = (phase: BenchProgress['phase'], casesDone: number, detail: string) => options.onProgress?.({ phase, casesDone, caseCount, detail });

  const machine = await machineInfo(hostname());
  report('profile', 0, 'measuring peak FLOP/s and memory bandwidth');
  const threadCounts = [1, ...options.contenders.map((c) => c.threads)];
  const deviceProfile = await measureDeviceProfile(threadCounts, settings.profileSeconds);

  const contenderInfo: ContenderInfo[] = [];
  const running: Contender[] = [];
  for (const contender of options.contenders) {
    report('init', 0, `starting ${contender.name}`);
    const info = {
      name: contender.name,
      kind: contender.kind,
      role: contender.role,
      threads: contender.threads,
      packageName: contender.packageName,
      version: packageVersion(contender.packageName),
    };
    try {
      await contender.init?.();
      running.push(contender);
      contenderInfo.push(info);
    } catch (error) {
      contenderInfo.push({ ...info, unavailable: errorText(error) });
    }
  }

  const cases: CaseResult[] = [];
  try {
    for (const [index, layerCase] of options.cases.entries()) {
      report('case', index, layerCase.title);
      const measured = await runCase(layerCase, running, settings);
      cases.push(analyseCase(layerCase, measured, running, deviceProfile));
    }
  } finally {
    for (const contender of running) {
      try {
        await contender.close?.();
      } catch {
        // Closing is best effort; the results are already measured.
      }
    }
  }
  report('case', caseCount, 'done');

  const { separableVsStandard, fusedVsUnfused } = compareGroups(options.cases, cases);
  return {
    schemaVersion: 1,
    mode: options.mode,
    startedAt: startedAt.toISOString(),
    durationSeconds: (performance.now() - startMs) / 1000,
    machine,
    settings,
    deviceProfile,
    contenders: contenderInfo,
    cases,
    separableVsStandard,
    fusedVsUnfused,
    // The targets are about the full suite's shapes; on quick's tiny ones, overheads decide.
    targets: options.mode === 'full' ? evaluateTargets(cases, separableVsStandard, fusedVsUnfused) : [],
  };
}
