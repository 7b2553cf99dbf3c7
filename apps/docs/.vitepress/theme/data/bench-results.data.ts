/**
 * VitePress data loader: at build time (and on change in dev), reads the bench's results
 * files and hands the results page the latest run. `*.tmp.json` files (quick smoke runs,
 * git-ignored) are shown only when there is no other run, and the page says so.
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
    // Layer runs and network runs (`networks-*.json`) each fall back to their quick runs separately.
    const isNetworkFile = (f: string) => basename(f).startsWith('networks-');
    const pick = (group: string[]) => (group.some((f) => !f.endsWith('.tmp.json')) ? group.filter((f) => !f.endsWith('.tmp.json')) : group);
    const candidates = [...pick(files.filter((f) => !isNetworkFile(f))), ...pick(files.filter(isNetworkFile))];
    for (const path of candidates) {
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
