import { modelCost, predictModel, separableReduction, type DeviceProfile } from '@sepconv/cost';
import { mobilenetV1, mobilenetV2 } from '@sepconv/mobilenet';
import { DEVICE_PRESETS } from '../.vitepress/theme/lib/device-presets.js';
import { formatSeconds } from '../.vitepress/theme/lib/format.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot, watchedPage, type WatchedPage } from './browser.js';

const siteUrl = inject('siteUrl');
let browser: Browser;
let watched: WatchedPage;
let page: Page;

const text = (testId: string) => page.getByTestId(testId).textContent();
const devicePreset = (): DeviceProfile => DEVICE_PRESETS[0]!;

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

  it('says what is wrong with impossible input as a sentence naming the field, not a developer message', async () => {
    await page.getByTestId('layer-padding').selectOption('valid');
    await page.getByTestId('layer-size').fill('2');
    await expect.poll(() => page.getByTestId('calc-error').count()).toBe(1);
    const message = (await text('calc-error')) ?? '';
    expect(message).toContain('D_K');
    expect(message).toContain('D_F');
    expect(message).not.toMatch(/conv2dLayer|options\.|filter's/);
    await page.getByTestId('layer-size').fill('14');
    await expect.poll(() => page.getByTestId('calc-error').count()).toBe(0);
    await page.getByTestId('layer-out').fill('');
    await expect.poll(() => text('calc-error')).toBe('N (output channels) must be a whole number of at least 1.');
    expect(await page.getByTestId('layer-out').getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('layer-out').fill('1024');
    await page.getByTestId('device-gflops').fill('0');
    await expect.poll(() => text('calc-error')).toBe('peak GFLOP/s must be a number greater than 0.');
    await page.getByTestId('device-preset').selectOption({ index: 1 });
    await page.getByTestId('device-preset').selectOption({ index: 0 });
    await expect.poll(() => page.getByTestId('calc-error').count()).toBe(0);
    await page.getByTestId('layer-padding').selectOption('same');
  });

  it('keeps each field label on one line', async () => {
    const heights = await page.evaluate(() =>
      [...document.querySelectorAll('.calculator label .name')].map((name) => name.getBoundingClientRect().height),
    );
    expect(heights.length).toBeGreaterThan(5);
    // A subscript makes a line taller, but not twice as tall; D_F's label used to break over three lines.
    const line = Math.min(...heights);
    expect(heights.filter((h) => h > 1.8 * line)).toEqual([]);
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

  it('predicts the network as sepconv runs it: batch norm folded and activations fused cost no time', async () => {
    await page.getByTestId('model-version').selectOption('v2');
    const share = (type: string) =>
      page.locator(`[data-testid="model-type-row"][data-type="${type}"] [data-testid="model-type-time-share"]`).textContent();
    await expect.poll(() => share('batchNorm')).toBe('0.0%');
    expect(await share('activation')).toBe('0.0%');
    const expected = predictModel(mobilenetV2(), devicePreset(), { fused: true }).seconds;
    expect(expected).toBeLessThan(predictModel(mobilenetV2(), devicePreset()).seconds);
    await expect.poll(() => text('model-time')).toBe(formatSeconds(expected));
    await page.getByTestId('model-version').selectOption('v1');
  });

  it('counts the quantized network with the int8 option: int8 bytes at the int8 peak, and the size in both precisions', async () => {
    await page.getByTestId('mode-model').click();
    await page.getByTestId('model-version').selectOption('v1');
    // The WebAssembly SIMD preset has a measured int8 peak.
    await page.getByTestId('device-preset').selectOption({ index: 1 });
    await page.getByTestId('model-dtype').selectOption('int8');
    const expected = predictModel(mobilenetV1(), DEVICE_PRESETS[1]!, { fused: true, dtype: 'int8' }).seconds;
    expect(expected).toBeLessThan(predictModel(mobilenetV1(), DEVICE_PRESETS[1]!, { fused: true }).seconds);
    await expect.poll(() => text('model-time')).toBe(formatSeconds(expected));
    expect(await text('model-size')).toBe('4.35 MB');
    expect(await text('model-size-other')).toBe('17 MB as float32');
    // A preset without one asks for the int8 peak, naming the field.
    await page.getByTestId('device-preset').selectOption({ index: 0 });
    await expect.poll(() => text('calc-error')).toBe('int8 GOP/s must be a number greater than 0 to predict the int8 model.');
    expect(await page.getByTestId('device-gops').getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('device-gops').fill('400');
    await expect.poll(() => page.getByTestId('calc-error').count()).toBe(0);
    await screenshot(page, 'calculator-int8');
    await page.getByTestId('model-dtype').selectOption('float32');
    await expect.poll(() => text('model-size')).toBe('17 MB');
  });

  it('fits a phone: the table scrolls sideways inside the page instead of being cut off', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(`${siteUrl}/calculator`, { waitUntil: 'load' });
    const table = phone.getByTestId('layer-table');
    await expect.poll(() => table.count()).toBe(1);
    const box = await table.evaluate((element) => ({
      client: element.clientWidth,
      scroll: element.scrollWidth,
      right: element.getBoundingClientRect().right,
    }));
    expect(box.right).toBeLessThanOrEqual(390);
    // Either it fits, or it scrolls: never wider than its box with the overflow hidden.
    expect(await table.evaluate((element) => getComputedStyle(element).overflowX)).toBe('auto');
    expect(box.scroll).toBeGreaterThanOrEqual(box.client);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'calculator-phone');
    await phone.close();
  });

  it('logged no console errors', () => {
    expect(watched.errors).toEqual([]);
  });
});
