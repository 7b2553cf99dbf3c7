import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, screenshot, watchedPage } from './browser.js';
import { expectedClassification, expectedFaces } from './demo-expected.js';

const siteUrl = inject('siteUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the live demo in a browser without WebGPU', () => {
  it(
    'says so plainly and runs on the CPU instead: the kernels, the classifier in its worker, and the face detector offers the CPU alone',
    { timeout: 300_000 },
    async () => {
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

      // The classifier runs on the CPU in its worker and says why WebGPU is not there.
      await page.getByTestId('classify-ready').waitFor({ timeout: 120_000 });
      expect(await page.getByTestId('classify-unavailable-webgpu').textContent()).toContain('navigator.gpu is undefined');
      await page.getByTestId('classify-run').click();
      await page.getByTestId('classify-done').or(page.getByTestId('classify-error')).waitFor({ timeout: 120_000 });
      expect(await page.getByTestId('classify-error').count()).toBe(0);
      expect(await page.getByTestId('classify-result-webgpu').count()).toBe(0);
      expect(await page.getByTestId('classify-top-cpu').textContent()).toBe((await expectedClassification()).top);

      // The face detector too, once scrolled to: its WebGPU worker is not started, and the webcam offers the CPU alone.
      await page.getByTestId('faces-confidence').scrollIntoViewIfNeeded();
      await page.getByTestId('faces-ready').waitFor({ timeout: 120_000 });
      expect(await page.getByTestId('faces-unavailable-webgpu').textContent()).toContain('navigator.gpu is undefined');
      expect(await page.getByTestId('faces-backend-cpu').textContent()).toMatch(/^@sepconv\/cpu/);
      expect(await page.getByTestId('webcam-backend-webgpu').count()).toBe(0);
      expect(await page.getByTestId('webcam-backend-cpu').isChecked()).toBe(true);

      // A picture the visitor picks: the faces photo as a file, on the CPU alone; then a file that is no picture.
      const photo = join(dirname(fileURLToPath(import.meta.url)), '..', '.vitepress', 'dist', 'demo-assets', 'faces.jpg');
      await page.getByTestId('faces-file').setInputFiles(photo);
      await page.getByTestId('faces-done').or(page.getByTestId('faces-error')).waitFor({ timeout: 120_000 });
      expect(await page.getByTestId('faces-error').count()).toBe(0);
      expect(await page.getByTestId('faces-result-webgpu').count()).toBe(0);
      expect(Number(await page.getByTestId('faces-count-cpu').textContent())).toBe((await expectedFaces({ minConfidence: 0.5 })).faces.length);
      expect(await page.getByText('faces.jpg, padded to a square').count()).toBe(1);
      await page.getByTestId('faces-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
      await expect.poll(() => page.getByTestId('faces-error').textContent()).toMatch(/^Error: notes\.txt is not a picture this browser can decode/);
      expect(await page.getByTestId('faces-run').isEnabled()).toBe(true);
      await screenshot(page, 'demo-without-webgpu');
      await page.close();
      expect(errors).toEqual([]);
    },
  );
});
