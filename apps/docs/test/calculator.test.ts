import { modelCost, separableReduction } from '@sepconv/cost';
import { mobilenetV1 } from '@sepconv/mobilenet';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot, watchedPage, type WatchedPage } from './browser.js';

const siteUrl = inject('siteUrl');
let browser: Browser;
let watched: WatchedPage;
let page: Page;

const text = (testId: string) => page.getByTestId(testId).textContent();

beforeAll(async () => {
  browser = await launchBrowser();
  watched = await watchedPage(browser);
  page = watched.page;
  await page.goto(`${siteUrl}/calculator`, { waitUntil: 'load' });
});
afterAll(async () => {
  await browser?.close();
});

describe('the cost calculator, computed live by @sepconv/cost in the browser', () => {
  it("gives the paper's 0.112 reduction for N = 1024, D_K = 3 and follows edits", async () => {
    await page.getByTestId('mode-layer').click();
    await page.getByTestId('layer-out').fill('1024');
    await page.getByTestId('layer-kernel').fill('3');
    await expect.poll(() => text('layer-reduction')).toBe('0.112');
    // The exact multiply-add ratio equals 1/N + 1/D_K² when nothing but N and D_K matter.
    await expect.poll(() => text('layer-ratio')).toBe('0.112');
    await page.getByTestId('layer-out').fill('64');
    const expected = separableReduction({ outChannels: 64, kernelSize: 3 }).toFixed(3);
    await expect.poll(() => text('layer-reduction')).toBe(expected);
    expect(await page.getByTestId('calc-chart').locator('svg').count()).toBeGreaterThan(0);
    await screenshot(page, 'calculator-layer');
  });

  it('says what is wrong with impossible input instead of failing', async () => {
    await page.getByTestId('layer-padding').selectOption('valid');
    await page.getByTestId('layer-size').fill('2');
    await expect.poll(() => page.getByTestId('calc-error').count()).toBe(1);
    expect(await text('calc-error')).toMatch(/conv/i);
    await page.getByTestId('layer-size').fill('14');
    await expect.poll(() => page.getByTestId('calc-error').count()).toBe(0);
  });

  it("shows the paper's 569M mult-adds and 4.2M weights for MobileNetV1 1.0-224", async () => {
    await page.getByTestId('mode-model').click();
    await page.getByTestId('model-version').selectOption('v1');
    // Go through another setting first so the numbers on screen are recomputed, not initial.
    await page.getByTestId('model-alpha').selectOption('0.5');
    await page.getByTestId('model-resolution').selectOption('160');
    const half = modelCost(mobilenetV1({ alpha: 0.5, resolution: 160 }));
    await expect.poll(() => text('model-multadds-exact')).toBe(half.multAdds.toLocaleString('en-US'));
    await page.getByTestId('model-alpha').selectOption('1');
    await page.getByTestId('model-resolution').selectOption('224');
    await expect.poll(() => text('model-multadds')).toBe('569M');
    expect(await text('model-multadds-exact')).toBe('568,740,352');
    expect(await text('model-params')).toBe('4.21M');
    expect(await text('model-standard')).toMatch(/4\.\d+B multiply-adds/);
    expect(await page.getByTestId('calc-chart').locator('svg').count()).toBeGreaterThan(0);
    await screenshot(page, 'calculator-mobilenet');
  });

  it('logged no console errors', () => {
    expect(watched.errors).toEqual([]);
  });
});
