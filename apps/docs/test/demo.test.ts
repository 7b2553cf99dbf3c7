import { createReferenceBackend } from '@sepconv/tensor/reference';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fingerprint, TIMED_BLOCK, timedBlockTensors } from '../.vitepress/theme/lib/demo-block.js';
import { launchBrowser, screenshot, watchedPage, type WatchedPage } from './browser.js';

const siteUrl = inject('siteUrl');
let browser: Browser;
let watched: WatchedPage;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  watched = await watchedPage(browser);
  page = watched.page;
  await page.goto(`${siteUrl}/demo`, { waitUntil: 'load' });
});
afterAll(async () => {
  await browser?.close();
});

describe('the live demo in headless Chromium with WebGPU on SwiftShader', () => {
  it('finds a WebGPU adapter (Chromium runs with --use-webgpu-adapter=swiftshader)', async () => {
    await expect.poll(() => page.getByTestId('demo-webgpu-status').textContent()).toContain('WebGPU is available');
  });

  // SwiftShader is a CPU rasteriser sharing CI's two cores with every other suite: allow minutes, not seconds.
  it('completes on WebGPU, and its results match the CPU backend', { timeout: 180_000 }, async () => {
    await page.getByTestId('demo-run').click();
    await page.getByTestId('demo-done').or(page.getByTestId('demo-error')).waitFor({ timeout: 150_000 });
    expect(await page.getByTestId('demo-error').count(), (await page.getByTestId('demo-error').count()) ? await page.getByTestId('demo-error').textContent() ?? '' : '').toBe(0);
    expect(await page.getByTestId('demo-backend').textContent()).toBe('webgpu');
    expect(await page.getByTestId('demo-image-match').textContent()).toBe('matches');
    expect(await page.getByTestId('demo-block-match').textContent()).toBe('matches');
    expect(Number(await page.getByTestId('demo-image-diff').textContent())).toBeLessThan(1e-3);
    expect(Number(await page.getByTestId('demo-block-diff').textContent())).toBeLessThan(1e-3);
    expect(await page.getByTestId('demo-mobilenet-match').textContent()).toBe('matches');
    expect(Number(await page.getByTestId('demo-mobilenet-diff').textContent())).toBeLessThan(1e-3);
    await screenshot(page, 'demo-completed');
  });

  it('shows the output the CPU computes here in Node for the same seeded block', async () => {
    const cpu = createReferenceBackend();
    const { x, depthwise, pointwise } = timedBlockTensors();
    const expected = fingerprint(await cpu.read(cpu.separableConv2d(x, depthwise, pointwise, TIMED_BLOCK.options)));
    const shownSum = Number(await page.getByTestId('demo-sum').textContent());
    expect(shownSum).toBeCloseTo(expected.sum, 0);
    const shownSamples = ((await page.getByTestId('demo-samples').textContent()) ?? '').split(', ').map(Number);
    expect(shownSamples).toHaveLength(expected.samples.length);
    expected.samples.forEach((value, i) => expect(shownSamples[i]).toBeCloseTo(value, 3));
  });

  it('drew the filtered picture (not a blank canvas)', async () => {
    const distinctColours = await page.getByTestId('demo-output').evaluate((canvas: HTMLCanvasElement) => {
      const context = canvas.getContext('2d');
      if (!context) return 0;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      const colours = new Set<number>();
      // In range: data is whole RGBA pixels, so i + 2 < data.length.
      for (let i = 0; i < data.length; i += 4) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return colours.size;
    });
    expect(distinctColours).toBeGreaterThan(50);
  });

  it('logged no console errors', () => {
    expect(watched.errors).toEqual([]);
  });
});
