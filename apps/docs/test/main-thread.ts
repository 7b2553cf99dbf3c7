/**
 * How the demo's e2e tests see that the page's main thread stays responsive while workers run
 * a network: the page records its long tasks (the Long Tasks API: main-thread tasks over
 * 50 ms), a 10 ms timer's ticks (when the main thread was free to run it) and its animation
 * frames, between two performance marks the demo sets around the work (`<name>-start`,
 * `<name>-end`).
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/**
 * What "the main thread stays responsive" means here: no main-thread task and no gap between
 * frames this long while the workers run. A predict on the main thread would be one task of
 * the whole network (the CPU backend's kernels are synchronous; ~120 ms per classifier predict
 * and ~300 ms per face-detector predict on CI's machine); the page's own work per result is a
 * few ms to a few tens, so the bounds leave room for a busy machine.
 */
export const MAX_TASK_MS = 250;
// A 10 ms timer waits 200 ms now and then on CI's shared two cores with no main-thread task at all (the OS runs others).
export const MAX_TICK_GAP_MS = 400;
/** Frames per second the page must still draw meanwhile (SwiftShader shares the compositor's process, so frames slow when the GPU works). */
export const MIN_FRAMES_PER_SECOND = 4;

/** What the page recorded between the marks: its long tasks, timer ticks and animation frames. */
export interface MainThreadRecord {
  readonly start: number;
  readonly end: number;
  readonly longTasks: readonly { start: number; duration: number }[];
  readonly ticks: readonly number[];
  readonly frames: readonly number[];
}

declare global {
  interface Window {
    sepconvTest?: { longTasks: { start: number; duration: number }[]; ticks: number[]; frames: number[] };
  }
}

/** Starts recording long tasks, timer ticks and animation frames on the page. */
export async function recordMainThread(page: Page): Promise<void> {
  await page.evaluate(() => {
    const record: NonNullable<Window['sepconvTest']> = { longTasks: [], ticks: [], frames: [] };
    setInterval(() => record.ticks.push(performance.now()), 10);
    window.sepconvTest = record;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) record.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask' });
    const tick = (time: number) => {
      record.frames.push(time);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** What was recorded, and the span between the marks `<name>-start` and `<name>-end`. */
export async function mainThreadRecord(page: Page, name: string): Promise<MainThreadRecord> {
  return page.evaluate((mark) => {
    const [start] = performance.getEntriesByName(`${mark}-start`);
    const [end] = performance.getEntriesByName(`${mark}-end`);
    const record = window.sepconvTest ?? { longTasks: [], ticks: [], frames: [] };
    return { start: start?.startTime ?? Number.NaN, end: end?.startTime ?? Number.NaN, ...record };
  }, name);
}

/** The longest the main thread went without running its timer between `start` and `end`. */
export function longestTickGap({ start, end, ticks }: MainThreadRecord): number {
  const inside = [start, ...ticks.filter((t) => t > start && t < end), end];
  return Math.max(...inside.slice(1).map((t, i) => t - inside[i]!));
}

export function longestTask({ start, end, longTasks }: MainThreadRecord): number {
  return Math.max(0, ...longTasks.filter((t) => t.start + t.duration > start && t.start < end).map((t) => t.duration));
}

export function framesPerSecond({ start, end, frames }: MainThreadRecord): number {
  return (frames.filter((t) => t > start && t < end).length * 1000) / (end - start);
}

/**
 * Asserts the bounds above on a record, after logging what it measured under `label`. Long
 * tasks are looked for in `taskSpan` (default: the whole record), the span where running a
 * network on the main thread would show as one.
 */
export function expectResponsive(record: MainThreadRecord, label: string, taskSpan: { start: number; end: number } = record): void {
  expect(record.end - record.start).toBeGreaterThan(0);
  expect(taskSpan.end - taskSpan.start).toBeGreaterThan(0);
  const task = longestTask({ ...record, ...taskSpan });
  console.log(
    `${label}: ${(record.end - record.start).toFixed(0)} ms; longest main-thread task ${task.toFixed(0)} ms (in ${(taskSpan.end - taskSpan.start).toFixed(0)} ms), timer gap ${longestTickGap(record).toFixed(0)} ms; ${framesPerSecond(record).toFixed(0)} frames/s`,
  );
  expect(task, `longest main-thread task while ${label} (ms)`).toBeLessThan(MAX_TASK_MS);
  expect(longestTickGap(record), `longest the main thread could not run a timer while ${label} (ms)`).toBeLessThan(MAX_TICK_GAP_MS);
  expect(framesPerSecond(record), `frames the page drew per second while ${label}`).toBeGreaterThanOrEqual(MIN_FRAMES_PER_SECOND);
}
