/**
 * VitePress data loader: at build time (and on change in dev), reads the bench's results
 * files and hands the results page the latest run. `*.tmp.json` files (quick smoke runs,
 * git-ignored) are shown only when there is no other run, and the page says so.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { defineLoader } from 'vitepress';
import { isBenchResults, latestRun, withoutSamples, type BenchPageData, type BenchResults } from '../lib/bench-results.js';

declare const data: BenchPageData;
export { data };

export default defineLoader({
  watch: ['../../../../bench/results/*.json'],
  load(files: string[]): BenchPageData {
    const runs: { file: string; results: BenchResults }[] = [];
    const skipped: string[] = [];
    const kept = files.filter((f) => !f.endsWith('.tmp.json'));
    for (const path of kept.length > 0 ? kept : files) {
      const file = basename(path);
      try {
        const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
        if (isBenchResults(parsed)) runs.push({ file, results: parsed });
        else skipped.push(`${file}: not a schema-version-1 bench results file`);
      } catch (error) {
        skipped.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const latest = latestRun(runs);
    return { file: latest?.file ?? null, results: latest ? withoutSamples(latest.results) : null, skipped };
  },
});
