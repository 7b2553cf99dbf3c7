import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jobLayoutSources } from '../scripts/job-layout-sources.mjs';
import { jobSlots, jobWords, wasmKernels } from '../scripts/job-layout.mjs';
import { JOB_WORDS, JobSlot, WasmKernel } from '../src/wasm/job-layout.js';

// The job layout and kernel ids are generated for both TypeScript and AssemblyScript from
// scripts/job-layout.mjs, so the two sides cannot drift by hand. What can still go wrong is a
// stale generated file (the table edited, `pnpm generate` not rerun): these checks catch it.
const sources = jobLayoutSources();

describe('job layout', () => {
  it.each(Object.keys(sources))('the generated %s is current with scripts/job-layout.mjs', (path) => {
    expect(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8'), `${path} is stale: run pnpm generate`).toBe(sources[path]);
  });

  it('the TypeScript side reads the table the AssemblyScript side is compiled from', () => {
    expect(JobSlot).toEqual(jobSlots);
    expect(WasmKernel).toEqual(wasmKernels);
    expect(JOB_WORDS).toBe(jobWords);
    const assembly = sources['assembly/generated/job-layout.ts']!;
    expect(assembly).toContain(`export const IN_HEIGHT: i32 = ${JobSlot.inHeight};`);
    expect(assembly).toContain(`export const DWCONV_3X3S1: i32 = ${WasmKernel.dwconv3x3s1};`);
  });
});
