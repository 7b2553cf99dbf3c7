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
  readonly targets: readonly {
    readonly description: string;
    readonly value: number;
    readonly threshold: number;
    readonly atLeast: boolean;
    readonly met: boolean;
  }[];
}

/** One contender on one whole network (`pnpm bench:networks`). Times are seconds. */
export interface NetworkContenderResult {
  readonly contender: string;
  readonly status: 'ok' | 'skipped' | 'failed';
  readonly reason?: string;
  readonly bestSeconds?: number;
  readonly medianSeconds?: number;
  /** Setup (sepconv: `instantiate`) plus the first inference; absent in runs before the bench recorded it. */
  readonly firstResultSeconds?: number;
  readonly predictedSeconds?: number;
  readonly check?: { readonly against: string; readonly maxAbsError: number; readonly tolerance: number; readonly ok: boolean };
}

/** A whole-network run as the results page needs it (`apps/bench/results/networks-*.json`). */
export interface NetworkBenchResults {
  readonly date: string;
  /** Recorded by runs since the bench named the machine of network runs; older files have only their file name. */
  readonly machine?: BenchMachine;
  readonly profile: BenchResults['deviceProfile'];
  readonly unavailable: readonly { readonly contender: string; readonly reason: string }[];
  readonly cases: readonly {
    readonly networkCase: { readonly id: string; readonly title: string; readonly batch: number };
    readonly multAdds: number;
    readonly results: readonly NetworkContenderResult[];
  }[];
}

/** One committed results file, as the page's history lists it. */
export interface RunSummary {
  readonly file: string;
  readonly kind: 'layers' | 'networks';
  /** ISO time the run started. */
  readonly startedAt: string;
  /** The machine's host name. */
  readonly host: string;
  /** CPU model and cores, when the file records them. */
  readonly machine: string | null;
  /** The run's figure in one line: targets met for a layer run, the first network's fastest sepconv time for a network run. */
  readonly headline: string;
}

/** What the results page renders: one coherent run and the history, or why there is none. */
export interface BenchPageData {
  /** The file the layer run came from, relative to `apps/bench/results/`; null when there is none. */
  readonly file: string | null;
  readonly results: BenchResults | null;
  /** The whole-network run from the same machine and day as the layer run; null when there is none. */
  readonly networksFile: string | null;
  readonly networks: NetworkBenchResults | null;
  /** The machine both runs come from, named: `vm — AMD EPYC, 2 logical cores, Node 20.20.2`. */
  readonly machine: string | null;
  /** The UTC day both runs are from, `2026-11-26`. */
  readonly day: string | null;
  /** Every committed run, newest first. */
  readonly history: readonly RunSummary[];
  /** Files that were skipped (another schema, unreadable), with the reason. */
  readonly skipped: readonly string[];
}

/**
 * The host in a results file name, `[networks-]YYYY-MM-DD-HHMM-<host>[-quick].json` (the
 * bench's `resultsFileName`), for network files written before runs recorded their machine.
 */
export function hostFromFileName(file: string): string {
  const match = /^(?:networks-)?\d{4}-\d{2}-\d{2}-\d{4}-(.+?)(?:-quick)?\.json$/.exec(file);
  return match?.[1] ?? 'unknown';
}

function describeMachine(machine: BenchMachine): string {
  return `${machine.host} — ${machine.cpuModel}, ${machine.logicalCores} logical cores, Node ${machine.node}`;
}

function layerHeadline(results: BenchResults): string {
  const met = results.targets.filter((t) => t.met).length;
  return `${results.mode} run, ${results.cases.length} cases, ${met} of ${results.targets.length} targets met`;
}

function networkHeadline(results: NetworkBenchResults): string {
  const first = results.cases[0];
  const fastest = first?.results
    .filter((r) => r.status === 'ok' && r.bestSeconds !== undefined && r.contender.startsWith('sepconv'))
    .sort((a, b) => (a.bestSeconds ?? 0) - (b.bestSeconds ?? 0))[0];
  if (!first || !fastest?.bestSeconds) return `${results.cases.length} networks`;
  return `${first.networkCase.title}: ${fastest.contender} ${(fastest.bestSeconds * 1e3).toPrecision(3)} ms`;
}

/** The history line of a layer run. */
export function summariseLayers(file: string, results: BenchResults): RunSummary {
  return {
    file,
    kind: 'layers',
    startedAt: results.startedAt,
    host: results.machine.host,
    machine: describeMachine(results.machine),
    headline: layerHeadline(results),
  };
}

/** The history line of a whole-network run. */
export function summariseNetworks(file: string, results: NetworkBenchResults): RunSummary {
  return {
    file,
    kind: 'networks',
    startedAt: results.date,
    host: results.machine?.host ?? hostFromFileName(file),
    machine: results.machine ? describeMachine(results.machine) : null,
    headline: networkHeadline(results),
  };
}

/**
 * The runs the page shows together: the latest layer run that has a whole-network run from
 * the same machine (host) on the same UTC day, and that network run (the latest such); with
 * no such pair, the latest layer run alone. Numbers from two machines or two days are never
 * shown side by side.
 */
export function coherentRuns(
  layerRuns: readonly { file: string; results: BenchResults }[],
  networkRuns: readonly { file: string; results: NetworkBenchResults }[],
): { layers: { file: string; results: BenchResults } | null; networks: { file: string; results: NetworkBenchResults } | null } {
  const partner = (layers: { file: string; results: BenchResults }) =>
    latestRun(
      networkRuns.filter((n) => {
        const summary = summariseNetworks(n.file, n.results);
        return summary.host === layers.results.machine.host && summary.startedAt.slice(0, 10) === layers.results.startedAt.slice(0, 10);
      }),
    );
  const newestFirst = [...layerRuns].sort((a, b) => Date.parse(b.results.startedAt) - Date.parse(a.results.startedAt));
  for (const layers of newestFirst) {
    const networks = partner(layers);
    if (networks) return { layers, networks };
  }
  return { layers: newestFirst[0] ?? null, networks: newestFirst.length === 0 ? latestRun(networkRuns) : null };
}

/** Every run, newest first. */
export function runHistory(
  layerRuns: readonly { file: string; results: BenchResults }[],
  networkRuns: readonly { file: string; results: NetworkBenchResults }[],
): RunSummary[] {
  return [...layerRuns.map((r) => summariseLayers(r.file, r.results)), ...networkRuns.map((r) => summariseNetworks(r.file, r.results))].sort(
    (a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || a.file.localeCompare(b.file),
  );
}

/** The machine and day the page names for the runs it shows. */
export function runIdentity(
  layers: BenchResults | null,
  networks: { file: string; results: NetworkBenchResults } | null,
): { machine: string | null; day: string | null } {
  if (layers) return { machine: describeMachine(layers.machine), day: layers.startedAt.slice(0, 10) };
  if (networks) {
    const summary = summariseNetworks(networks.file, networks.results);
    return { machine: summary.machine ?? summary.host, day: summary.startedAt.slice(0, 10) };
  }
  return { machine: null, day: null };
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
