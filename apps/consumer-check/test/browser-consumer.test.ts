// The installed tarballs in a bundler: a tiny page built by Vite from the consumer project,
// served cross-origin isolated and run in headless Chromium (WebGPU on SwiftShader).
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH, CHROMIUM_WEBGPU_ARGS } from '../../../chromium.shared.js';
import { serveStatic, type StaticServer } from '../src/static-server.js';

const { projectDir } = inject('consumer');

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  const outDir = join(projectDir, 'page-dist');
  await build({
    root: join(projectDir, 'page'),
    configFile: false,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  server = await serveStatic(outDir);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_WEBGPU_ARGS, ...CHROMIUM_ARGS] });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('consumer page built with Vite', () => {
  it('runs the CPU backend on 2 threads, a cost query, a MobileNet and WebGPU in Chromium', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(server.url);
    await page.waitForFunction(() => 'consumerResult' in window, undefined, { timeout: 90_000 });
    const result = await page.evaluate(() => (window as unknown as { consumerResult: Record<string, unknown> }).consumerResult);
    await page.close();

    expect(errors).toEqual([]);
    expect(result).toMatchObject({
      crossOriginIsolated: true,
      cpu: { threads: 2, notes: [], shape: [1, 13, 11, 24], badFilterError: { name: 'ShapeError', isShapeError: true } },
      cost: { multAdds: 568_740_352, paramsTotal: 4_253_864 },
      mobilenet: { shape: [1, 10], featuresShape: [1, 2, 2, 256] },
      webgpu: { shape: [1, 13, 11, 24] },
    });
    const checks = result as { cpu: { maxAbsError: number }; mobilenet: { maxAbsError: number; sum: number }; webgpu: { maxAbsError: number } };
    expect(checks.cpu.maxAbsError).toBeLessThan(1e-4);
    expect(checks.mobilenet.maxAbsError).toBeLessThan(1e-4);
    expect(checks.mobilenet.sum).toBeCloseTo(1, 5);
    expect(checks.webgpu.maxAbsError).toBeLessThan(1e-4);
  });
});
