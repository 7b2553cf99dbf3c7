import { randomUniform, type Backend, type HostTensor } from '@sepconv/tensor';
import { createCpuBackend } from '@sepconv/cpu';
import { afterAll, describe, expect, it } from 'vitest';
import { instantiate, memoryTuneCache, mobilenetV1, mobilenetV2, onlyOutput, UNFUSED_VARIANT, type ModelSpec } from '../src/index.js';
import { acquireWebGpuBackend } from './support/gpu-backend.js';

const x32 = randomUniform([1, 32, 32, 3], 11);

/** Tunes `spec` on `backend` and checks the tuned model against the untuned one. */
async function expectTunedMatchesUntuned(backend: Backend, spec: ModelSpec, budgetMs: number): Promise<void> {
  const untuned = await instantiate(spec, backend);
  const tuned = await instantiate(spec, backend, { tune: { budgetMs, warmup: 1, repeats: 2 }, tuneCache: memoryTuneCache() });
  const report = tuned.tuning!;
  expect(report.fingerprint).toBe(backend.fingerprint!());
  expect(report.steps.length).toBeGreaterThan(0);
  for (const step of report.steps) {
    const names = step.candidates.map((c) => c.name);
    expect(names).toContain(step.chosen);
    if (step.op === 'separableConv2d') expect(names.at(-1)).toBe(UNFUSED_VARIANT);
    // The two-call form is timed once: the plan's own candidate, not also a backend row that runs the same two calls.
    expect(names.filter((name) => name.includes('unfused')).length, names.join(', ')).toBeLessThanOrEqual(1);
    if (step.source === 'measured') expect(step.candidates.some((c) => c.ms !== undefined && c.ms > 0)).toBe(true);
  }
  const [expected, actual] = [
    (onlyOutput(await untuned.predictAsync(x32)) as HostTensor).data,
    (onlyOutput(await tuned.predictAsync(x32)) as HostTensor).data,
  ];
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThan(1e-4);
  untuned.dispose();
  tuned.dispose();
}

describe('tuning on the CPU backend', async () => {
  const backend = await createCpuBackend({ threads: 1 });
  afterAll(() => backend.dispose());

  it('MobileNetV1 and V2 (0.25-32): the tuned model gives the untuned outputs', async () => {
    await expectTunedMatchesUntuned(backend, mobilenetV1({ alpha: 0.25, resolution: 32, classes: 4 }), 1000);
    await expectTunedMatchesUntuned(backend, mobilenetV2({ alpha: 0.35, resolution: 32, classes: 4 }), 1000);
  });
});

const gpu = await acquireWebGpuBackend();

describe.skipIf(!gpu.backend)(`tuning on the WebGPU backend${gpu.reason ? ` (skipped: no adapter: ${gpu.reason})` : ''}`, () => {
  afterAll(() => gpu.backend?.dispose());

  it('MobileNetV1 0.25-32: the tuned model gives the untuned outputs', async () => {
    await expectTunedMatchesUntuned(gpu.backend!, mobilenetV1({ alpha: 0.25, resolution: 32, classes: 4 }), 3000);
  }, 60_000);
});
