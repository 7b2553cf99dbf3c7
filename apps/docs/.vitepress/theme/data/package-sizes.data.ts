/**
 * VitePress data loader: at build time, reads the committed package sizes
 * (`apps/bench/results/package-sizes.json`, written by `pnpm --filter consumer-check sizes`)
 * for the results page; null when the file is absent, with the reason when it is unreadable.
 */
import { readFileSync } from 'node:fs';
import { defineLoader } from 'vitepress';
import { isPackageSizesReport, PACKAGE_SIZES_FILE, type PackageSizesReport } from '../lib/package-sizes.js';

export interface PackageSizesData {
  readonly report: PackageSizesReport | null;
  /** Why there is no report to show, when the file exists but cannot be shown. */
  readonly problem: string | null;
}

declare const data: PackageSizesData;
export { data };

export default defineLoader({
  watch: [`../../../../bench/results/${PACKAGE_SIZES_FILE}`],
  load(files: string[]): PackageSizesData {
    const [path] = files;
    if (path === undefined) return { report: null, problem: null };
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (isPackageSizesReport(parsed)) return { report: parsed, problem: null };
      return { report: null, problem: `${PACKAGE_SIZES_FILE}: not the package sizes this page knows` };
    } catch (error) {
      return { report: null, problem: `${PACKAGE_SIZES_FILE}: ${error instanceof Error ? error.message : String(error)}` };
    }
  },
});
