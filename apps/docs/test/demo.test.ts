import { createReferenceBackend } from '@sepconv/tensor/reference';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fingerprint, TIMED_BLOCK, timedBlockTensors } from '../.vitepress/theme/lib/demo-block.js';
import { launchBrowser, screenshot, watchedPage, type WatchedPage } from './browser.js';
import { expectedClassification, type ExpectedClassification } from './demo-expected.js';
import { expectResponsive, longestTask, longestTickGap, mainThreadRecord, MAX_TASK_MS, MAX_TICK_GAP_MS, recordMainThread } from './main-thread.js';

const siteUrl = inject('siteUrl');
let browser: Browser;
let watched: WatchedPage;
let page: Page;
let expected: ExpectedClassification;

beforeAll(async () => {
  expected = await expectedClassification();
  browser = await launchBrowser();
  watched = await watchedPage(browser);
  page = watched.page;
  await page.goto(`${siteUrl}/demo`, { waitUntil: 'load' });
});
afterAll(async () => {
  await browser?.close();
});

describe('the classifier: nsfwjs MobileNetV2, real weights, in Web Workers (WebGPU on SwiftShader, and the CPU)', () => {
  it('loads the model the site serves into a worker per backend', async () => {
    await page.getByTestId('classify-ready').or(page.getByTestId('classify-error')).waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('classify-error').count()).toBe(0);
    // The face detector further down waits until it is scrolled to: nothing of it loads meanwhile to count against
    // the classification's responsiveness.
    expect(await page.getByTestId('faces-waiting').count()).toBe(1);
    expect(await page.getByTestId('classify-backend-webgpu').textContent()).toMatch(/^@sepconv\/webgpu on /);
    expect(await page.getByTestId('classify-backend-cpu').textContent()).toMatch(/^@sepconv\/cpu, wasm(relaxed)?simd, 1 thread$/);
  });

  // SwiftShader takes seconds per 224×224 MobileNetV2; four predicts on each backend.
  it(
    'classifies the bundled photo as the same model does in Node, on both backends, while the page keeps drawing',
    { timeout: 300_000 },
    async () => {
      await recordMainThread(page);
      await page.getByTestId('classify-run').click();
      await page.getByTestId('classify-done').or(page.getByTestId('classify-error')).waitFor({ timeout: 280_000 });
      expect(await page.getByTestId('classify-error').count()).toBe(0);
      for (const backend of ['webgpu', 'cpu']) {
        expect(await page.getByTestId(`classify-top-${backend}`).textContent(), backend).toBe(expected.top);
        const shown = await Promise.all(
          ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'].map(async (label) =>
            Number(await page.getByTestId(`classify-p-${backend}-${label}`).textContent()),
          ),
        );
        // The browser's JPEG decoder and jpeg-js may differ by a level here and there: close, not equal.
        shown.forEach((p, i) => expect(Math.abs(p - expected.probabilities[i]!), `${backend} class ${i}`).toBeLessThan(0.02));
        expect(Number.parseFloat((await page.getByTestId(`classify-ms-${backend}`).textContent()) ?? '')).toBeGreaterThan(0);
      }
      expectResponsive(await mainThreadRecord(page, 'sepconv-classify'), 'classifying');
      expect(Number(await page.getByTestId('classify-frames').textContent())).toBeGreaterThan(0);
      await screenshot(page, 'demo-classified');
    },
  );

  it('the responsiveness check can fail: 600 ms of work on the main thread shows as a long task and a timer gap', async () => {
    await recordMainThread(page);
    await page.evaluate(async () => {
      performance.clearMarks();
      await new Promise((resolve) => requestAnimationFrame(resolve));
      performance.mark('sepconv-classify-start');
      const until = performance.now() + 600;
      while (performance.now() < until);
      await new Promise((resolve) => setTimeout(resolve, 100));
      performance.mark('sepconv-classify-end');
    });
    const record = await mainThreadRecord(page, 'sepconv-classify');
    expect(longestTask(record)).toBeGreaterThanOrEqual(MAX_TASK_MS);
    expect(longestTickGap(record)).toBeGreaterThanOrEqual(MAX_TICK_GAP_MS);
  });
});

describe('the live demo in headless Chromium with WebGPU on SwiftShader', () => {
  it('finds a WebGPU adapter (Chromium runs with --use-webgpu-adapter=swiftshader)', async () => {
    await expect.poll(() => page.getByTestId('demo-webgpu-status').textContent()).toContain('WebGPU is available');
  });

  // SwiftShader is a CPU rasteriser sharing CI's two cores with every other suite: allow minutes, not seconds.
  it('completes on WebGPU, and its results match the CPU backend', { timeout: 180_000 }, async () => {
    await page.getByTestId('demo-run').click();
    await page.getByTestId('demo-done').or(page.getByTestId('demo-error')).waitFor({ timeout: 150_000 });
    expect(
      await page.getByTestId('demo-error').count(),
      (await page.getByTestId('demo-error').count()) ? ((await page.getByTestId('demo-error').textContent()) ?? '') : '',
    ).toBe(0);
    expect(await page.getByTestId('demo-backend').textContent()).toBe('webgpu');
    expect(await page.getByTestId('demo-image-match').textContent()).toBe('matches');
    expect(await page.getByTestId('demo-block-match').textContent()).toBe('matches');
    expect(Number(await page.getByTestId('demo-image-diff').textContent())).toBeLessThan(1e-3);
    expect(Number(await page.getByTestId('demo-block-diff').textContent())).toBeLessThan(1e-3);
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
