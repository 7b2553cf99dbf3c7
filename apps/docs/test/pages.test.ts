import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot, watchedPage, type WatchedPage } from './browser.js';
import { mainPages } from './main-pages.js';

const siteUrl = inject('siteUrl');
let browser: Browser;
// One tab for every page, as a reader clicking through: a new tab per page costs seconds on CI.
let tab: WatchedPage;

beforeAll(async () => {
  browser = await launchBrowser();
  tab = await watchedPage(browser);
});
beforeEach(() => {
  tab.errors.length = 0;
});
afterAll(async () => {
  await browser?.close();
});

describe('every main page', () => {
  for (const { path, name, heading } of mainPages) {
    it(`${path} loads with its heading, no console errors, and a screenshot`, async () => {
      const { page, errors } = tab;
      const response = await page.goto(`${siteUrl}${path}`, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      const title = path === '/' ? page.locator('.VPHero .name') : page.locator('main h1').first();
      await expect.poll(() => title.textContent()).toContain(heading);
      await screenshot(page, name);
      expect(errors).toEqual([]);
    });
  }
});

describe('the guide', () => {
  it('renders its formulas as math, including the 1/N + 1/D_K² ratio and the 0.112 example', async () => {
    const { page, errors } = tab;
    await page.goto(`${siteUrl}/guide/cost`, { waitUntil: 'load' });
    // markdown-it-mathjax3 renders at build time to <mjx-container> SVG; raw TeX means math is off.
    const formulas = page.locator('mjx-container');
    expect(await formulas.count()).toBeGreaterThan(5);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toContain('\\frac');
    expect(text).toContain('0.112');
    expect(errors).toEqual([]);
  });

  it('draws the three feature-map diagrams', async () => {
    const { page, errors } = tab;
    await page.goto(`${siteUrl}/guide/convolutions`, { waitUntil: 'load' });
    for (const kind of ['standard', 'depthwise', 'pointwise']) {
      const diagram = page.locator(`svg[aria-label="${kind} convolution diagram"]`);
      await expect.poll(() => diagram.count()).toBe(1);
      expect(await diagram.locator('polygon').count()).toBeGreaterThan(12);
    }
    expect(errors).toEqual([]);
  });
});
