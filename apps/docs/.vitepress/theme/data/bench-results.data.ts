/**
 * VitePress data loader: at build time (and on change in dev), reads the bench's committed
 * results (`apps/bench/results/*.json`, written by `--save`) and hands the results page one
 * coherent run — layers and networks from the same machine and day — and the history of
 * every committed run. Local runs go to `results/local/`, which this glob does not reach
 * (`*.json` matches no subfolder), so a bench run never changes what the site shows until it
 * is saved.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { defineLoader } from 'vitepress';
import {
  coherentRuns,
  isBenchResults,
  isNetworkBenchResults,
  networksWithoutSamples,
  runHistory,
  runIdentity,
  withoutSamples,
  type BenchPageData,
  type BenchResults,
  type NetworkBenchResults,
} from '../lib/bench-results.js';
import { PACKAGE_SIZES_FILE } from '../lib/package-sizes.js';

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
      // Not a run: package-sizes.data.ts reads it for the page's own section.
      if (file === PACKAGE_SIZES_FILE) continue;
      try {
        const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
        if (isNetworkFile(path) && isNetworkBenchResults(parsed)) networkRuns.push({ file, results: parsed });
        else if (!isNetworkFile(path) && isBenchResults(parsed)) layerRuns.push({ file, results: parsed });
        else skipped.push(`${file}: not a results file this page knows (layer schema 1 or networks)`);
      } catch (error) {
        skipped.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const { layers, networks } = coherentRuns(layerRuns, networkRuns);
    return {
      file: layers?.file ?? null,
      results: layers ? withoutSamples(layers.results) : null,
      networksFile: networks?.file ?? null,
      networks: networks ? networksWithoutSamples(networks.results) : null,
      ...runIdentity(layers?.results ?? null, networks),
      history: runHistory(layerRuns, networkRuns),
      skipped,
    };
  },
});
