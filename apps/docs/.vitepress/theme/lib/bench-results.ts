/**
 * The part of `apps/bench`'s results JSON (schema version 1, `apps/bench/src/results.ts`) the
 * results page shows. The JSON file is the interface between the two apps: the docs read the
 * file and never import the bench's code. Times are milliseconds.
 */

/** Where the numbers came from. */
export interface BenchMachine {
  readonly host: string;
  readonly cpuModel: string;
  readonly logicalCores: number;
  readonly platform: string;
  readonly arch: string;
  readonly totalMemoryBytes: number;
  readonly node: string;
  readonly v8: string;
  readonly relaxedSimd: boolean;
}

/** One contender (a sepconv backend or a peer engine) as the run saw it. */
export interface BenchContender {
  readonly name: string;
  readonly kind: 'cpu' | 'gpu';
  readonly role: 'sepconv' | 'peer';
  readonly threads: number;
  readonly packageName: string;
  readonly version: string;
  readonly unavailable?: string;
}

/** One contender's measurement of one case (without the raw samples, which the page does not show). */
export interface BenchContenderResult {
  readonly contender: string;
  readonly skipped?: string;
  readonly error?: string;
  readonly bestMs?: number;
  readonly medianMs?: number;
  readonly gflops?: number;
  readonly predictedMs?: number;
  readonly bound?: 'compute' | 'memory';
  readonly measuredOverPredicted?: number;
  readonly check?: { readonly against: string; readonly maxAbsError: number; readonly tolerance: number; readonly ok: boolean };
}

/** One layer shape. */
export interface BenchCase {
  readonly id: string;
  readonly title: string;
  readonly op: string;
  readonly group?: string;
  readonly multAdds: number;
  readonly bytes: number;
  readonly arithmeticIntensity: number;
  readonly results: readonly BenchContenderResult[];
}

/** A bench run as the results page needs it. */
export interface BenchResults {
  readonly schemaVersion: 1;
  readonly mode: 'quick' | 'full';
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly machine: BenchMachine;
  readonly deviceProfile: {
    readonly entries: readonly { readonly threads: number; readonly peakFlops: number; readonly memoryBandwidth: number }[];
    readonly method: string;
  };
  readonly contenders: readonly BenchContender[];
  readonly cases: readonly BenchCase[];
  readonly separableVsStandard: readonly {
    readonly group: string;
    readonly contender: string;
    readonly depthwiseMs: number;
    readonly pointwiseMs: number;
    readonly standardMs: number;
    readonly measuredRatio: number;
    readonly theoreticalRatio: number;
  }[];
  readonly fusedVsUnfused: readonly {
    readonly group: string;
    readonly contender: string;
    readonly fusedMs: number;
    readonly unfusedMs: number;
    readonly speedup: number;
  }[];
  readonly targets: readonly { readonly description: string; readonly value: number; readonly threshold: number; readonly atLeast: boolean; readonly met: boolean }[];
}

/** One contender on one whole network (`pnpm bench:networks`). Times are seconds. */
export interface NetworkContenderResult {
  readonly contender: string;
  readonly status: 'ok' | 'skipped' | 'failed';
  readonly reason?: string;
  readonly bestSeconds?: number;
  readonly medianSeconds?: number;
  readonly predictedSeconds?: number;
  readonly check?: { readonly against: string; readonly maxAbsError: number; readonly tolerance: number; readonly ok: boolean };
}

/** A whole-network run as the results page needs it (`apps/bench/results/networks-*.json`). */
export interface NetworkBenchResults {
  readonly date: string;
  readonly profile: BenchResults['deviceProfile'];
  readonly unavailable: readonly { readonly contender: string; readonly reason: string }[];
  readonly cases: readonly {
    readonly networkCase: { readonly id: string; readonly title: string; readonly batch: number };
    readonly multAdds: number;
    readonly results: readonly NetworkContenderResult[];
  }[];
}

/** What the results page renders: the latest runs, or why there are none. */
export interface BenchPageData {
  /** The file the layer run came from, relative to `apps/bench/results/`; null when there is none. */
  readonly file: string | null;
  readonly results: BenchResults | null;
  /** The file the whole-network run came from; null when there is none. */
  readonly networksFile: string | null;
  readonly networks: NetworkBenchResults | null;
  /** Files that were skipped (another schema, unreadable), with the reason. */
  readonly skipped: readonly string[];
}

/** A whole-network results file the page can show. */
export function isNetworkBenchResults(value: unknown): value is NetworkBenchResults {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.date === 'string' &&
    typeof v.profile === 'object' &&
    Array.isArray(v.unavailable) &&
    Array.isArray(v.cases) &&
    v.cases.every((c: unknown) => typeof c === 'object' && c !== null && 'networkCase' in c && 'results' in c)
  );
}

/** Drops the raw samples of a whole-network run. */
export function networksWithoutSamples(results: NetworkBenchResults): NetworkBenchResults {
  return {
    ...results,
    cases: results.cases.map((c) => ({
      ...c,
      results: c.results.map((r) => {
        const { samples: _samples, ...rest } = r as NetworkContenderResult & { samples?: unknown };
        return rest;
      }),
    })),
  };
}

/** A results file the page can show: schema version 1 with the fields it reads. */
export function isBenchResults(value: unknown): value is BenchResults {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.schemaVersion === 1 &&
    typeof v.startedAt === 'string' &&
    typeof v.machine === 'object' &&
    Array.isArray(v.contenders) &&
    Array.isArray(v.cases) &&
    Array.isArray(v.separableVsStandard) &&
    Array.isArray(v.fusedVsUnfused) &&
    Array.isArray(v.targets)
  );
}

/** The run to show: the one that started last (`startedAt` of layer runs, `date` of network runs). */
export function latestRun<T extends { readonly startedAt: string } | { readonly date: string }>(
  runs: readonly { file: string; results: T }[],
): { file: string; results: T } | null {
  const time = (results: T) => Date.parse('startedAt' in results ? results.startedAt : results.date);
  let latest: { file: string; results: T } | null = null;
  for (const run of runs) {
    if (!latest || time(run.results) > time(latest.results)) latest = run;
  }
  return latest;
}

/** Drops the raw samples (kilobytes per case) so the page ships only what it shows. */
export function withoutSamples(results: BenchResults): BenchResults {
  return {
    ...results,
    cases: results.cases.map((c) => ({
      ...c,
      results: c.results.map((r) => {
        const { samplesMs: _samples, ...rest } = r as BenchContenderResult & { samplesMs?: unknown };
        return rest;
      }),
    })),
  };
}
