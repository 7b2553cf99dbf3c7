import { checkDeviceProfile, type DeviceProfile } from '@sepconv/cost';
import { describeValue, ValueError } from '@sepconv/tensor';
import { defaultTuneCache, type TuneCache } from './tune-cache.js';
import type { StepTuning } from './tuning-report.js';

/** One `onProgress` report of tuning: after each distinct layer geometry is resolved (timed, cached or skipped). */
export interface TuneProgress {
  /** Geometries resolved so far. */
  readonly done: number;
  /** Distinct convolution geometries of the model (identical layers are tuned once). */
  readonly total: number;
  /** `done / total`, 1 when the model has none. */
  readonly fraction: number;
  /** The step just resolved (the first of those sharing its geometry). */
  readonly step: StepTuning;
}

/** The tuning settings: `tune: true` takes every default, a number is `budgetMs`. */
export interface TuneOptions {
  /** Milliseconds tuning may spend timing (cache hits are free). Default 2000. */
  budgetMs?: number | undefined;
  /** Timed calls per candidate before the measured ones. Default 1. */
  warmup?: number | undefined;
  /** Measured calls per candidate; the best counts. Default 5. */
  repeats?: number | undefined;
  /**
   * The device profile the cost model's roofline prior uses to order the steps (largest
   * predicted time first, so a short budget goes where the time is). Default: a nominal
   * profile, which orders by the balance of arithmetic and bytes.
   */
  profile?: DeviceProfile | undefined;
  /** The clock, in milliseconds. Default `performance.now`. Tests pass a fake one. */
  now?: (() => number) | undefined;
}

/** What tuning runs with: every option resolved. */
export interface ResolvedTuneOptions {
  readonly budgetMs: number;
  readonly warmup: number;
  readonly repeats: number;
  readonly profile: DeviceProfile;
  readonly now: () => number;
  readonly cache: TuneCache;
  readonly onProgress: ((progress: TuneProgress) => void) | undefined;
}

/** Default budget: enough to time every distinct layer of a MobileNet once or twice on a CPU. */
export const DEFAULT_TUNE_BUDGET_MS = 2000;

/** Only the ratio of its rates matters for ordering steps: about a CPU's, 2 FLOP per byte. */
const NOMINAL_PROFILE: DeviceProfile = { name: 'nominal', peakFlops: 50e9, memoryBandwidth: 25e9 };

const OP = 'instantiate';

function count(value: unknown, argument: string, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > 1000) {
    throw new ValueError(OP, argument, `${argument} must be an integer from ${minimum} to 1000, got ${describeValue(value)}`);
  }
  return value;
}

function budget(value: unknown, argument: string): number {
  if (value === undefined) return DEFAULT_TUNE_BUDGET_MS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(OP, argument, `${argument} must be a finite number of milliseconds >= 0, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Resolves `instantiate`'s `tune`, `tuneCache` and `onProgress` options, or `undefined` when
 * tuning is off (`tune` absent or `false`).
 * @throws ValueError naming `instantiate` and the option at fault.
 */
export function resolveTuneOptions(tune: unknown, cache: unknown, onProgress: unknown): ResolvedTuneOptions | undefined {
  if (
    cache !== undefined &&
    (typeof cache !== 'object' || cache === null || typeof (cache as TuneCache).get !== 'function' || typeof (cache as TuneCache).set !== 'function')
  ) {
    throw new ValueError(OP, 'options.tuneCache', `options.tuneCache must be a TuneCache ({ get, set }), got ${describeValue(cache)}`);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new ValueError(OP, 'options.onProgress', `options.onProgress must be a function, got ${describeValue(onProgress)}`);
  }
  if (tune === undefined || tune === false) return undefined;
  let options: TuneOptions;
  if (tune === true) options = {};
  else if (typeof tune === 'number') options = { budgetMs: budget(tune, 'options.tune') };
  else if (typeof tune === 'object' && tune !== null && !Array.isArray(tune)) options = tune as TuneOptions;
  else throw new ValueError(OP, 'options.tune', `options.tune must be true, a budget in milliseconds or { budgetMs, … }, got ${describeValue(tune)}`);
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new ValueError(OP, 'options.tune.now', `options.tune.now must be a function returning milliseconds, got ${describeValue(options.now)}`);
  }
  if (options.profile !== undefined) checkDeviceProfile(OP, options.profile);
  return {
    budgetMs: budget(options.budgetMs, 'options.tune.budgetMs'),
    warmup: count(options.warmup, 'options.tune.warmup', 1, 0),
    repeats: count(options.repeats, 'options.tune.repeats', 5, 1),
    profile: options.profile ?? NOMINAL_PROFILE,
    now: options.now ?? (() => performance.now()),
    cache: (cache as TuneCache | undefined) ?? defaultTuneCache,
    onProgress: onProgress as ((progress: TuneProgress) => void) | undefined,
  };
}
