import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FaceDetection } from '@sepconv/mobilenet';
import { FACE_DETECTOR_MANIFEST, FACE_DETECTOR_PATH, FACE_DETECTOR_SHARD } from '../.vitepress/theme/lib/demo-face-detector.js';
import type { WebcamStats } from '../.vitepress/theme/lib/webcam-loop.js';
import { launchBrowser, screenshot, watchedPage, type WatchedPage } from './browser.js';
import { expectedFaces, type ExpectedFaces } from './demo-expected.js';
import { expectResponsive, mainThreadRecord, recordMainThread } from './main-thread.js';

// The live demo's face detector in headless Chromium: face-api's SSD MobileNetV1 with its real
// weights, the network in Web Workers (WebGPU on SwiftShader, and the CPU), on the bundled
// photo and on a camera. A real webcam cannot be had in CI: Chromium's
// --use-fake-device-for-media-stream (browser.ts) gives a synthetic camera (a moving test
// pattern, no faces), which tests the frame loop — frames drawn, detections never queued,
// the camera released on stop — but not detection on a face from a camera.

const siteUrl = inject('siteUrl');
/** The slider's default, face-api's: the page detects at 0.5 unless the visitor moves it. */
const MIN_CONFIDENCE = 0.5;
let browser: Browser;
let watched: WatchedPage;
let page: Page;
let expected: ExpectedFaces;
/** The detector's files the page has asked for, in order. */
const detectorRequests: string[] = [];

beforeAll(async () => {
  expected = await expectedFaces({ minConfidence: MIN_CONFIDENCE });
  browser = await launchBrowser();
  watched = await watchedPage(browser);
  page = watched.page;
  await page.context().grantPermissions(['camera'], { origin: siteUrl });
  page.on('request', (request) => {
    if (request.url().includes(FACE_DETECTOR_PATH)) detectorRequests.push(request.url());
  });
  await page.goto(`${siteUrl}/demo`, { waitUntil: 'load' });
});
afterAll(async () => {
  await browser?.close();
});

async function shownFaces(backend: string): Promise<FaceDetection[]> {
  return JSON.parse((await page.getByTestId(`faces-result-${backend}`).getAttribute('data-faces')) ?? '[]') as FaceDetection[];
}

async function webcamStats(target: Page = page): Promise<WebcamStats & { faces: number }> {
  return JSON.parse((await target.getByTestId('webcam-stats').getAttribute('data-stats')) ?? '{}') as WebcamStats & { faces: number };
}

describe("the face detector: face-api's SSD MobileNetV1, real weights, the network in Web Workers", () => {
  it('fetches nothing of its 5.6 MB until the visitor scrolls to it, then shows its progress while it loads', async () => {
    // The classifier above loads at once: let it finish, so that what follows is the face panel's doing alone.
    await page.getByTestId('classify-ready').or(page.getByTestId('classify-error')).waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('faces-waiting').textContent()).toBe('The face detector loads when you scroll to it.');
    expect(await page.getByTestId('faces-run').isDisabled()).toBe(true);
    expect(detectorRequests).toEqual([]);
    await page.getByTestId('faces-confidence').scrollIntoViewIfNeeded();
    await page.getByTestId('faces-loading').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('faces-loading').textContent()).toMatch(/^Loading the face detector… \d+%$/);
    await expect
      .poll(() => detectorRequests.map((url) => url.slice(url.lastIndexOf('/') + 1)))
      .toEqual([FACE_DETECTOR_MANIFEST, FACE_DETECTOR_SHARD]);
  });

  it('loads the files the site serves into a worker per backend', async () => {
    await page.getByTestId('faces-ready').or(page.getByTestId('faces-error')).waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('faces-error').count()).toBe(0);
    expect(await page.getByTestId('faces-waiting').count()).toBe(0);
    expect(await page.getByTestId('faces-backend-webgpu').textContent()).toMatch(/^@sepconv\/webgpu on /);
    expect(await page.getByTestId('faces-backend-cpu').textContent()).toMatch(/^@sepconv\/cpu, wasm(relaxed)?simd, 1 thread$/);
  });

  // SwiftShader takes many seconds for a 512×512 SSD MobileNetV1; one detection per backend.
  it(
    'finds the faces of the bundled photo that detectFaces finds in Node, on WebGPU and the CPU, while the page keeps drawing',
    { timeout: 300_000 },
    async () => {
      expect(expected.faces.length).toBe(5);
      await recordMainThread(page);
      await page.getByTestId('faces-run').click();
      await page.getByTestId('faces-done').or(page.getByTestId('faces-error')).waitFor({ timeout: 280_000 });
      expect(await page.getByTestId('faces-error').count()).toBe(0);
      // The browser's JPEG decoder and jpeg-js may differ by a level here and there: two pixels of the 512×512 input, scores within 0.02.
      const tolerance = (2 * Math.max(expected.width, expected.height)) / 512;
      for (const backend of ['webgpu', 'cpu']) {
        const faces = await shownFaces(backend);
        expect(faces.length, backend).toBe(expected.faces.length);
        for (const [i, face] of faces.entries()) {
          const theirs = expected.faces[i]!;
          expect(Math.abs(face.score - theirs.score), `${backend} face ${i} score`).toBeLessThan(0.02);
          for (const key of ['x', 'y', 'width', 'height'] as const)
            expect(Math.abs(face.box[key] - theirs.box[key]), `${backend} face ${i} box.${key}`).toBeLessThan(tolerance);
        }
        expect(Number.parseFloat((await page.getByTestId(`faces-ms-${backend}`).textContent()) ?? '')).toBeGreaterThan(0);
      }
      // Frames and the timer over the whole run; long tasks over the CPU backend's detection, where a network on the
      // main thread would be one task of its whole predict (~300 ms here). The WebGPU run is 20 s of waiting on a
      // software GPU, in which a loaded two-core machine preempting the page shows as "long tasks" of up to ~350 ms
      // (measured at load average 20, mid-network, the page running no code of its own).
      const cpuSpan = await mainThreadRecord(page, 'sepconv-faces-cpu');
      expectResponsive(await mainThreadRecord(page, 'sepconv-faces'), 'detecting faces', cpuSpan);
      expect(Number(await page.getByTestId('faces-frames').textContent())).toBeGreaterThan(0);
      await screenshot(page, 'demo-faces');
    },
  );

  it('draws the boxes over the photo, scaled as the photo is shown', async () => {
    // The CPU's blue (drawn last) along the best face's top edge, in the canvas's own pixels.
    const blue = await page.getByTestId('faces-canvas').evaluate(
      (canvas: HTMLCanvasElement, { box, photoWidth }) => {
        const scale = canvas.width / photoWidth;
        const [x, y, width] = [box.x, box.y, box.width].map((v) => Math.round(v * scale));
        const { data } = canvas.getContext('2d')!.getImageData(x!, y!, width!, 1);
        let count = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] === 0x1c && data[i + 1] === 0x7e && data[i + 2] === 0xd6) count++;
        return count / (data.length / 4);
      },
      { box: expected.faces[0]!.box, photoWidth: expected.width },
    );
    expect(blue).toBeGreaterThan(0.5);
  });
});

describe('the face detector on a camera (a synthetic one: no faces, frames drawn and detected in turn)', () => {
  it(
    'draws the camera frames and detects on the latest frame only when no detection is in flight; Stop releases the camera',
    { timeout: 120_000 },
    async () => {
      await page.getByTestId('webcam-backend-cpu').check();
      await page.getByTestId('webcam-start').click();
      await expect
        .poll(async () => (await page.getByTestId('webcam-stats').count()) && (await webcamStats()).framesDetected, { timeout: 60_000 })
        .toBeGreaterThanOrEqual(3);
      expect(await page.getByTestId('webcam-error').count()).toBe(0);
      const stats = await webcamStats();
      console.log(`webcam: ${JSON.stringify(stats)}`);
      // Never more than one detection at a time, and every drawn frame either sent or skipped.
      expect(stats.maxInFlight).toBe(1);
      expect(stats.framesDrawn).toBe(stats.framesSent + stats.framesDropped);
      expect(stats.framesSent - stats.framesDetected).toBeLessThanOrEqual(1);
      // A ~30 fps camera against detections of a few hundred ms: most frames are skipped, none queued. Frames drawn
      // while a detection was in flight also show the page's main thread free meanwhile: a network run on it would
      // block drawing, and each frame after it would find no detection in flight (none skipped).
      expect(stats.framesDropped).toBeGreaterThan(2 * stats.framesDetected);
      expect(stats.lastMs).toBeGreaterThan(0);
      expect(stats.faces).toBe(0);
      const colours = await page.getByTestId('webcam-canvas').evaluate((canvas: HTMLCanvasElement) => {
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        const seen = new Set<number>();
        for (let i = 0; i < data.length; i += 4) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
        return { size: [canvas.width, canvas.height], distinct: seen.size };
      });
      expect(colours.size[0]).toBeGreaterThan(0);
      expect(colours.distinct, 'the canvas shows the camera, not a blank').toBeGreaterThan(10);
      await screenshot(page, 'demo-webcam');

      await page.getByTestId('webcam-stop').click();
      await page.getByTestId('webcam-start').waitFor();
      expect(await page.locator('video').evaluate((video: HTMLVideoElement) => video.srcObject)).toBeNull();
      const stopped = (await webcamStats()).framesDrawn;
      await page.waitForTimeout(500);
      expect((await webcamStats()).framesDrawn, 'no frame drawn after Stop').toBe(stopped);
    },
  );

  it('says plainly when the camera is refused', { timeout: 60_000 }, async () => {
    // The permission withdrawn from the page's context: Chromium refuses getUserMedia.
    await page.context().clearPermissions();
    await page.getByTestId('webcam-start').click();
    await expect.poll(() => page.getByTestId('webcam-error').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('webcam-error').textContent()).toMatch(/^Camera access was denied\. Allow the camera for this site/);
    expect(await page.getByTestId('webcam-start').isEnabled()).toBe(true);
  });

  it('logged no console errors', () => {
    expect(watched.errors).toEqual([]);
  });
});
