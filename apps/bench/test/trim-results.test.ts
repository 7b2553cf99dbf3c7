import { describe, expect, it } from 'vitest';
import {
  defaultResultsPath,
  LOCAL_RESULTS_DIR,
  networkResultsWithoutSamples,
  RESULTS_DIR,
  resultsFileName,
  withoutSamples,
  type BenchResults,
} from '../src/index.js';
import type { NetworkBenchResults } from '../src/networks/run-networks.js';

describe('withoutSamples', () => {
  it('drops the raw samples and keeps the run count and every derived figure', () => {
    const result = {
      contender: 'sepconv-cpu',
      samplesMs: [2, 1, 3],
      runs: 3,
      bestMs: 1,
      medianMs: 2,
      meanMs: 2,
      gflops: 5,
      predictedMs: 0.5,
      speedupVs: { 'tfjs-wasm': 2 },
    };
    const results = { cases: [{ id: 'x', results: [result, { contender: 'tfjs-cpu', skipped: 'not here' }] }] } as unknown as BenchResults;
    const trimmed = withoutSamples(results);
    const { samplesMs: _samples, ...kept } = result;
    expect(trimmed.cases[0]!.results).toEqual([kept, { contender: 'tfjs-cpu', skipped: 'not here' }]);
    // Older files have no `runs`: it comes from the samples.
    const old = withoutSamples({ cases: [{ results: [{ contender: 'a', samplesMs: [1, 2] }] }] } as unknown as BenchResults);
    expect(old.cases[0]!.results[0]).toEqual({ contender: 'a', runs: 2 });
  });

  it('does the same for whole-network runs', () => {
    const results = {
      cases: [{ results: [{ contender: 'a', status: 'ok', samples: [0.01, 0.02], bestSeconds: 0.01 }] }],
    } as unknown as NetworkBenchResults;
    expect(networkResultsWithoutSamples(results).cases[0]!.results[0]).toEqual({ contender: 'a', status: 'ok', runs: 2, bestSeconds: 0.01 });
  });
});

describe('where a run is written', () => {
  it('goes to the git-ignored local folder unless saved', () => {
    const name = resultsFileName({ startedAt: '2026-11-26T00:24:05.123Z', host: 'my host', quick: false });
    expect(name).toBe('2026-11-26-0024-my_host.json');
    expect(resultsFileName({ prefix: 'networks', startedAt: '2026-11-26T00:24:05.123Z', host: 'vm', quick: true })).toBe(
      'networks-2026-11-26-0024-vm-quick.json',
    );
    expect(defaultResultsPath(name, false)).toBe(`${LOCAL_RESULTS_DIR}/${name}`);
    expect(defaultResultsPath(name, true)).toBe(`${RESULTS_DIR}/${name}`);
  });
});
