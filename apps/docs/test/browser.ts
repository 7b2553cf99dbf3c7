/**
 * The end-to-end tests' browser: the system Chromium driven by playwright-core (no browser is
 * ever downloaded), with WebGPU on SwiftShader so the demo runs on a real, if software, GPU.
 * A page opened here records every console error and uncaught exception; tests assert the
 * list is empty. Screenshots go to `test-results/screenshots/` (git-ignored), kept as CI
 * artifacts.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, CHROMIUM_WEBGPU_ARGS } from '../../../chromium.shared.js';

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where screenshots are written; CI keeps this folder as an artifact. */
export const screenshotDir = join(appRoot, 'test-results', 'screenshots');

/** The shared headless flags (chromium.shared.ts) with WebGPU on SwiftShader, plus the docs tests' own. */
const chromiumArgs = [
  '--headless',
  ...CHROMIUM_ARGS,
  ...CHROMIUM_WEBGPU_ARGS,
  // A synthetic camera (a moving test pattern) for the face demo's webcam; the page still needs the camera permission.
  '--use-fake-device-for-media-stream',
];

/** Launches the system Chromium; fails with the reason when it is not installed. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`docs e2e: no Chromium at ${CHROMIUM_PATH}; install Debian's \`chromium\` package or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs, headless: true });
}

/** A page and the problems it has reported so far. */
export interface WatchedPage {
  readonly page: Page;
  /** Console messages of type `error` and uncaught exceptions, in order. */
  readonly errors: string[];
}

/** Opens a new page that records console errors and uncaught exceptions. */
export async function watchedPage(browser: Browser): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return { page, errors };
}

/** Saves a full-page screenshot named after the page, e.g. `guide-cost.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
