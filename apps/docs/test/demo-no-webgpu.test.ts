import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot, watchedPage } from './browser.js';

const siteUrl = inject('siteUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the live demo in a browser without WebGPU', () => {
  it('says so plainly and runs on the CPU instead', { timeout: 180_000 }, async () => {
    const { page, errors } = await watchedPage(browser);
    // What a browser without WebGPU looks like to the page: no navigator.gpu at all.
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
    });
    await page.goto(`${siteUrl}/demo`, { waitUntil: 'load' });
    await expect.poll(() => page.getByTestId('demo-webgpu-status').textContent()).toContain('No WebGPU here');
    expect(await page.getByTestId('demo-webgpu-status').textContent()).toContain('navigator.gpu is undefined');
    await page.getByTestId('demo-run').click();
    await page.getByTestId('demo-done').or(page.getByTestId('demo-error')).waitFor({ timeout: 150_000 });
    expect(await page.getByTestId('demo-error').count()).toBe(0);
    expect(await page.getByTestId('demo-backend').textContent()).toBe('cpu');
    expect(await page.getByTestId('demo-block-match').textContent()).toBe('matches');
    expect(await page.getByTestId('demo-mobilenet-match').textContent()).toBe('matches');
    await screenshot(page, 'demo-without-webgpu');
    await page.close();
    expect(errors).toEqual([]);
  });
});
