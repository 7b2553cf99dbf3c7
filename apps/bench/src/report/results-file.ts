import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResults } from '../results.js';

/** `apps/bench/results/`, where full runs are kept (the docs site renders the latest). */
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'results');

/**
 * The default file of a run: `YYYY-MM-DD-HHMM-<host>.json` for a full run (sorting by name
 * sorts by date), `quick.tmp.json` for a quick one (git-ignored: a smoke test, not a result).
 */
export function defaultResultsPath(results: BenchResults): string {
  if (results.mode === 'quick') return join(RESULTS_DIR, 'quick.tmp.json');
  const stamp = results.startedAt.slice(0, 16).replace('T', '-').replace(':', '');
  const host = results.machine.host.replace(/[^A-Za-z0-9_.-]/g, '_');
  return join(RESULTS_DIR, `${stamp}-${host}.json`);
}

/** Writes results as indented JSON, creating the folder; returns the path. */
export function writeResults(results: BenchResults, path = defaultResultsPath(results)): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}
