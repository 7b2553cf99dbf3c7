import type { LayerOp } from './cases/layer-case.js';
import type { TargetGoal } from './target-goals.js';

/**
 * The JSON a bench run writes: to `apps/bench/results/local/` (git-ignored), or with `--save`
 * to `apps/bench/results/` (committed; the docs site renders it) without the raw samples.
 * Times are milliseconds, rates per second; every ratio says which way it goes in its name.
 */
export interface BenchResults {
  /** Bumped when a field changes meaning. */
  readonly schemaVersion: 1;
  readonly mode: 'quick' | 'full';
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly machine: MachineInfo;
  readonly settings: BenchSettings;
  readonly deviceProfile: MeasuredDeviceProfile;
  readonly contenders: readonly ContenderInfo[];
  readonly cases: readonly CaseResult[];
  readonly separableVsStandard: readonly SeparableVsStandard[];
  readonly fusedVsUnfused: readonly FusedVsUnfused[];
  /** The project's own speed targets, evaluated in full mode only (empty for a quick run). */
  readonly targets: readonly TargetResult[];
}

/** Where the numbers came from. */
export interface MachineInfo {
  readonly host: string;
  readonly cpuModel: string;
  readonly logicalCores: number;
  readonly platform: string;
  readonly arch: string;
  readonly totalMemoryBytes: number;
  readonly node: string;
  readonly v8: string;
  /** Node's own flags for the run, e.g. `--experimental-wasm-relaxed-simd`. */
  readonly nodeFlags: readonly string[];
  /** 1, 5 and 15 minute load averages when the run started: how busy the machine was. */
  readonly loadAverage: readonly number[];
  /** Whether this runtime validates a relaxed-SIMD module (Node 20 needs a flag for it). */
  readonly relaxedSimd: boolean;
}

/** How long and how often each contender runs each case. */
export interface BenchSettings {
  /** Untimed runs before timing: this many and `warmupSeconds`, but at most the budget's time after the first. */
  readonly warmupRuns: number;
  readonly warmupSeconds: number;
  /** Timed runs per contender per case: at least `minRuns` (3 once a contender has spent twice the budget), at most `maxRuns`… */
  readonly minRuns: number;
  readonly maxRuns: number;
  /** …stopping once a contender has spent this long on the case (after `minRuns`). */
  readonly budgetSeconds: number;
  /** Measuring time for each device-profile figure. */
  readonly profileSeconds: number;
  /** Seed of every input and weight tensor. */
  readonly seed: number;
}

/** The roofline inputs for one thread count, measured by the bench at start. */
export interface DeviceProfileEntry {
  readonly threads: number;
  /** FLOP/s of a WebAssembly SIMD multiply-add loop on `threads` threads at once. */
  readonly peakFlops: number;
  /** Bytes/s (read + written) of a large buffer copy on `threads` threads at once. */
  readonly memoryBandwidth: number;
  /** Int8 OP/s (a multiply-add is 2) of a WebAssembly SIMD dot-product loop on `threads` threads at once; absent in results from before it was measured. */
  readonly peakInt8Ops?: number | undefined;
}

/** The device profile: one entry per thread count any contender uses. */
export interface MeasuredDeviceProfile {
  readonly entries: readonly DeviceProfileEntry[];
  /** How each figure was measured, in words, for the docs. */
  readonly method: string;
}

/** One contender as the run saw it. */
export interface ContenderInfo {
  readonly name: string;
  readonly kind: 'cpu' | 'gpu';
  readonly role: 'sepconv' | 'peer';
  readonly threads: number;
  readonly packageName: string;
  /** The installed package's version. */
  readonly version: string;
  /** Set when `init()` failed: the contender ran nothing, and this says why. */
  readonly unavailable?: string;
}

/** One layer shape and every contender's measurement of it. */
export interface CaseResult {
  readonly id: string;
  readonly title: string;
  readonly op: LayerOp;
  readonly group?: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: 'same' | 'valid';
  readonly outChannels: number;
  /** Multiply-adds (the MobileNet paper's count); FLOPs are twice this. */
  readonly multAdds: number;
  /** Bytes the cost model counts as read and written (input, weights, output). */
  readonly bytes: number;
  /** FLOPs per byte. */
  readonly arithmeticIntensity: number;
  readonly results: readonly ContenderResult[];
}

/** One contender on one case. */
export interface ContenderResult {
  readonly contender: string;
  /** Set when the contender does not run this case (a reason) or failed (the error). */
  readonly skipped?: string;
  readonly error?: string;
  /** Every timed run, in order, milliseconds: in local runs and `--samples` only (committed results leave them out). */
  readonly samplesMs?: readonly number[];
  /** How many timed runs the figures below come from. */
  readonly runs?: number;
  readonly bestMs?: number;
  readonly medianMs?: number;
  readonly meanMs?: number;
  /** FLOPs / best time, in GFLOP/s. */
  readonly gflops?: number;
  /** The cost model's roofline time on this contender's thread count's profile (CPU contenders). */
  readonly predictedMs?: number;
  /** What bounds the prediction. */
  readonly bound?: 'compute' | 'memory';
  /** Best measured / predicted: 1 means at the roofline, larger means slower than it. */
  readonly measuredOverPredicted?: number;
  /** For each other contender of the same kind that ran the case: its best time / this best time (above 1: this is faster). */
  readonly speedupVs?: Readonly<Record<string, number>>;
  /** This output against the first contender's output on the same inputs. */
  readonly check?: { readonly against: string; readonly maxAbsError: number; readonly tolerance: number; readonly ok: boolean };
}

/** The measured (depthwise + pointwise) / standard time beside the theory `1/N + 1/D_K²`. */
export interface SeparableVsStandard {
  readonly group: string;
  readonly contender: string;
  readonly depthwiseMs: number;
  readonly pointwiseMs: number;
  readonly standardMs: number;
  /** (depthwise + pointwise) / standard, from best times. */
  readonly measuredRatio: number;
  /** 1/N + 1/D_K², the ratio of multiply-adds. */
  readonly theoreticalRatio: number;
}

/** The fused separable kernel against depthwise then pointwise, one contender. */
export interface FusedVsUnfused {
  readonly group: string;
  readonly contender: string;
  readonly fusedMs: number;
  readonly unfusedMs: number;
  /** unfused / fused, from best times (above 1: fusing is faster). */
  readonly speedup: number;
}

/** One of the project's own speed targets, evaluated on this run's numbers. */
export interface TargetResult {
  /** Which of the project's goals it checks; `TARGET_GOALS` says where that goal comes from. */
  readonly goal: TargetGoal;
  readonly description: string;
  /** The measured figure, in the unit of `threshold`. */
  readonly value: number;
  /** What it must reach; `atLeast` says which side passes. */
  readonly threshold: number;
  readonly atLeast: boolean;
  readonly met: boolean;
}
