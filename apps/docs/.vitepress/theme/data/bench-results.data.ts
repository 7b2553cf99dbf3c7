/**
 * VitePress data loader: at build time (and on change in dev), reads the bench's committed
 * results (`apps/bench/results/*.json`, written by `--save`) and hands the results page the
 * latest run. Local runs go to `results/local/`, which this glob does not reach, so a bench
 * run never changes what the site shows until it is saved.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { defineLoader } from 'vitepress';
import {
  isBenchResults,
  isNetworkBenchResults,
  latestRun,
  networksWithoutSamples,
  withoutSamples,
  type BenchPageData,
  type BenchResults,
  type NetworkBenchResults,
} from '../lib/bench-results.js';

declare const data: BenchPageData;
export { data };

export default defineLoader({
  watch: ['../../../../bench/results/*.json'],
  load(files: string[]): BenchPageData {
    const layerRuns: { file: string; results: BenchResults }[] = [];
    const networkRuns: { file: string; results: NetworkBenchResults }[] = [];
    const skipped: string[] = [];
    const isNetworkFile = (f: string) => basename(f).startsWith('networks-');
    for (const path of files) {
      const file = basename(path);
      try {
        const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
        if (isNetworkFile(path) && isNetworkBenchResults(parsed)) networkRuns.push({ file, results: parsed });
        else if (!isNetworkFile(path) && isBenchResults(parsed)) layerRuns.push({ file, results: parsed });
        else skipped.push(`${file}: not a results file this page knows (layer schema 1 or networks)`);
      } catch (error) {
        skipped.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const latest = latestRun(layerRuns);
    const latestNetworks = latestRun(networkRuns);
    return {
      file: latest?.file ?? null,
      results: latest ? withoutSamples(latest.results) : null,
      networksFile: latestNetworks?.file ?? null,
      networks: latestNetworks ? networksWithoutSamples(latestNetworks.results) : null,
      skipped,
    };
  },
});
