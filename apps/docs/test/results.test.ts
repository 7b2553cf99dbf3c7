import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  isBenchResults,
  isNetworkBenchResults,
  latestRun,
  type BenchResults,
  type NetworkBenchResults,
} from '../.vitepress/theme/lib/bench-results.js';
import { launchBrowser, screenshot, watchedPage } from './browser.js';

const siteUrl = inject('siteUrl');
const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results');

/** The runs the page should show, chosen from the files on disk independently of the site build. */
function expectedRuns(): { layers: { file: string; results: BenchResults } | null; networks: { file: string; results: NetworkBenchResults } | null } {
  let files: string[] = [];
  try {
    files = readdirSync(resultsDir).filter((f) => f.endsWith('.json'));
  } catch {
    return { layers: null, networks: null };
  }
  // Only the committed files at the folder's top level; `local/` holds unsaved runs.
  const read = (group: string[]) => group.map((file) => ({ file, results: JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as unknown }));
  const layers = read(files.filter((f) => !f.startsWith('networks-'))).filter((run): run is { file: string; results: BenchResults } =>
    isBenchResults(run.results),
  );
  const networks = read(files.filter((f) => f.startsWith('networks-'))).filter(
    (run): run is { file: string; results: NetworkBenchResults } => isNetworkBenchResults(run.results),
  );
  return { layers: latestRun(layers), networks: latestRun(networks) };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the results page', () => {
  it('renders the latest bench JSON with its machine, every case, and charts — or says there is none', async () => {
    const { page, errors } = await watchedPage(browser);
    await page.goto(`${siteUrl}/results`, { waitUntil: 'load' });
    const { layers: run, networks } = expectedRuns();
    if (run === null && networks === null) {
      await expect.poll(() => page.getByTestId('results-none').count()).toBe(1);
    }
    if (networks !== null) {
      expect(await page.getByTestId('results-networks-source').textContent()).toContain(networks.file);
      expect(await page.getByTestId('results-network-case').count()).toBe(networks.results.cases.length);
      await expect.poll(() => page.getByTestId('results-networks-chart').locator('svg').count()).toBeGreaterThan(0);
    }
    if (run !== null) {
      expect(await page.getByTestId('results-source').textContent()).toContain(run.file);
      expect(await page.getByTestId('results-machine').textContent()).toContain(run.results.machine.cpuModel);
      expect(await page.getByTestId('results-case').count()).toBe(run.results.cases.length);
      const firstResult = run.results.cases[0]?.results.find((r) => r.bestMs !== undefined);
      if (firstResult) expect(await page.getByTestId('results-case').first().textContent()).toContain(firstResult.contender);
      await expect.poll(() => page.getByTestId('results-times-chart').locator('svg').count()).toBeGreaterThan(0);
      const predicted = run.results.cases.some((c) => c.results.some((r) => r.measuredOverPredicted !== undefined));
      if (predicted) await expect.poll(() => page.getByTestId('results-roofline-chart').locator('svg').count()).toBeGreaterThan(0);
      else expect(await page.getByTestId('results-no-roofline').count()).toBe(1);
    }
    await screenshot(page, 'results-rendered');
    await page.close();
    expect(errors).toEqual([]);
  });
});
