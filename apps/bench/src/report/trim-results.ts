import type { NetworkBenchResults } from '../networks/run-networks.js';
import type { BenchResults } from '../results.js';

/**
 * A layer run without its raw samples: what the committed results keep (best, median, mean,
 * `runs`, GFLOP/s, prediction, ratios, checks, and the run's machine, versions and flags).
 * The samples (up to 200 numbers per contender per case) stay in local runs and `--samples`.
 */
export function withoutSamples(results: BenchResults): BenchResults {
  return {
    ...results,
    cases: results.cases.map((c) => ({
      ...c,
      results: c.results.map(({ samplesMs, ...rest }) => (samplesMs === undefined ? rest : { ...rest, runs: rest.runs ?? samplesMs.length })),
    })),
  };
}

/** A whole-network run without its raw samples (see {@link withoutSamples}). */
export function networkResultsWithoutSamples(results: NetworkBenchResults): NetworkBenchResults {
  return {
    ...results,
    cases: results.cases.map((c) => ({
      ...c,
      results: c.results.map(({ samples, ...rest }) => (samples === undefined ? rest : { ...rest, runs: rest.runs ?? samples.length })),
    })),
  };
}
