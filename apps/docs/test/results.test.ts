import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  coherentRuns,
  hostFromFileName,
  isBenchResults,
  isNetworkBenchResults,
  type BenchResults,
  type NetworkBenchResults,
} from '../.vitepress/theme/lib/bench-results.js';
import { formatBytes } from '../.vitepress/theme/lib/format.js';
import { isPackageSizesReport, PACKAGE_SIZES_FILE } from '../.vitepress/theme/lib/package-sizes.js';
import { launchBrowser, screenshot, watchedPage } from './browser.js';

const siteUrl = inject('siteUrl');
const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results');

/** The runs the page should show, chosen from the files on disk independently of the site build. */
function expectedRuns(): {
  layers: { file: string; results: BenchResults } | null;
  networks: { file: string; results: NetworkBenchResults } | null;
  committed: number;
} {
  let files: string[] = [];
  try {
    files = readdirSync(resultsDir).filter((f) => f.endsWith('.json'));
  } catch {
    return { layers: null, networks: null, committed: 0 };
  }
  // Only the committed files at the folder's top level; `local/` holds unsaved runs.
  const read = (group: string[]) => group.map((file) => ({ file, results: JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as unknown }));
  const layers = read(files.filter((f) => !f.startsWith('networks-'))).filter((run): run is { file: string; results: BenchResults } =>
    isBenchResults(run.results),
  );
  const networks = read(files.filter((f) => f.startsWith('networks-'))).filter((run): run is { file: string; results: NetworkBenchResults } =>
    isNetworkBenchResults(run.results),
  );
  return { ...coherentRuns(layers, networks), committed: layers.length + networks.length };
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
    const { layers: run, networks, committed } = expectedRuns();
    expect(await page.getByTestId('results-history-run').count()).toBe(committed);
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
      const named = await page.getByTestId('results-run').textContent();
      expect(named).toContain(run.results.machine.host);
      expect(named).toContain(run.results.startedAt.slice(0, 10));
      // Layers and networks from one machine and one day, never mixed.
      if (networks !== null) {
        expect(networks.results.machine?.host ?? hostFromFileName(networks.file)).toBe(run.results.machine.host);
        expect(networks.results.date.slice(0, 10)).toBe(run.results.startedAt.slice(0, 10));
      }
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

  it('shows the committed package sizes: every entry point with its sizes, the commit they were measured at', async () => {
    const { page, errors } = await watchedPage(browser);
    await page.goto(`${siteUrl}/results`, { waitUntil: 'load' });
    const report: unknown = JSON.parse(readFileSync(join(resultsDir, PACKAGE_SIZES_FILE), 'utf8'));
    if (!isPackageSizesReport(report)) throw new Error(`${PACKAGE_SIZES_FILE} is not the package sizes the page reads`);
    const entries = report.packages.flatMap((pkg) => pkg.entryPoints);
    expect(entries.length).toBeGreaterThan(0);
    const rows = page.getByTestId('sizes-row');
    expect(await rows.count()).toBe(entries.length);
    for (const [i, entry] of entries.entries()) {
      expect(await rows.nth(i).locator('code').textContent()).toBe(entry.specifier);
      expect(await rows.nth(i).getByTestId('sizes-gzip').textContent()).toBe(formatBytes(entry.gzipBytes));
    }
    if (report.commit) expect(await page.getByTestId('sizes-source').textContent()).toContain(report.commit.slice(0, 7));
    expect(await page.getByTestId('sizes-cost-only').textContent()).toContain(formatBytes(report.costOnly.gzipBytes));
    expect(await page.getByTestId('sizes-cost-only-entry').textContent()).toBe(report.costOnly.entry);
    // The file is the page's own section, not a run the results part passes over.
    expect(await page.getByText(`${PACKAGE_SIZES_FILE}: not a results file`).count()).toBe(0);
    await page.close();
    expect(errors).toEqual([]);
  });

  it('charts give each contender one colour in every chart and keep their row labels inside the picture', async () => {
    const { page, errors } = await watchedPage(browser);
    await page.goto(`${siteUrl}/results`, { waitUntil: 'load' });
    const charts = page.locator('[data-testid$="-chart"]');
    await expect.poll(() => charts.locator('svg').count()).toBeGreaterThan(0);
    const found = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid$="-chart"]')].map((chart) => ({
        // Plot's swatch legend: <span class="plot-…-swatch"><svg fill="colour">…</svg>name</span>
        swatches: [...chart.querySelectorAll('span[class$="-swatch"]')].map((swatch): [string, string] => [
          swatch.textContent?.trim() ?? '',
          swatch.querySelector('svg')?.getAttribute('fill') ?? '',
        ]),
        clipped: [...chart.querySelectorAll('svg [aria-label="y-axis tick label"] text')].filter((text) => {
          const svg = text.closest('svg')!.getBoundingClientRect();
          return text.getBoundingClientRect().left < svg.left - 0.5;
        }).length,
      })),
    );
    const colourOf = new Map<string, string>();
    for (const [name, fill] of found.flatMap((chart) => chart.swatches)) {
      if (!name || name === 'sepconv' || name === 'peer') continue; // the role symbol legend has no colour
      expect(colourOf.get(name) ?? fill, `${name}'s colour`).toBe(fill);
      colourOf.set(name, fill);
    }
    expect(colourOf.size).toBeGreaterThan(1);
    expect(found.map((chart) => chart.clipped)).toEqual(found.map(() => 0));
    await page.close();
    expect(errors).toEqual([]);
  });

  it('fits a phone: charts as wide as the screen, nothing wider than the page', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${siteUrl}/results`, { waitUntil: 'load' });
    await expect.poll(() => page.locator('[data-testid$="-chart"] svg').count()).toBeGreaterThan(0);
    await expect
      .poll(() =>
        page.evaluate(() =>
          Math.max(...[...document.querySelectorAll('[data-testid$="-chart"] svg')].map((svg) => svg.getBoundingClientRect().width)),
        ),
      )
      .toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'results-phone');
    await page.close();
  });
});
