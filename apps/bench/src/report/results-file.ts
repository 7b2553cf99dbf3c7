import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `apps/bench/results/`: the committed runs the docs site renders. Only `--save` writes
 * here, so no bench run silently replaces what the docs build reads.
 */
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'results');

/** `apps/bench/results/local/` (git-ignored): where every run writes unless `--save`. */
export const LOCAL_RESULTS_DIR = join(RESULTS_DIR, 'local');

/**
 * A run's file name: `[<prefix>-]YYYY-MM-DD-HHMM-<host>[-quick].json`, so sorting by name
 * sorts by date within a prefix.
 */
export function resultsFileName(options: { startedAt: string; host: string; quick: boolean; prefix?: string }): string {
  const stamp = options.startedAt.slice(0, 16).replace('T', '-').replace(':', '');
  const host = options.host.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${options.prefix ? `${options.prefix}-` : ''}${stamp}-${host}${options.quick ? '-quick' : ''}.json`;
}

/** Where a run goes by default: the committed folder with `save`, else the ignored local one. */
export function defaultResultsPath(fileName: string, save: boolean): string {
  return join(save ? RESULTS_DIR : LOCAL_RESULTS_DIR, fileName);
}

/** Writes results as indented JSON, creating the folder; returns the path. */
export function writeResultsFile(path: string, results: unknown): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 1)}\n`);
  return path;
}
