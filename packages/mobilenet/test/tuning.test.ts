import { randomUniform, ValueError, type HostTensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fileTuneCache,
  formatTuningReport,
  instantiate,
  memoryTuneCache,
  mobilenetV1,
  onlyOutput,
  type InstantiateOptions,
  type TuneProgress,
} from '../src/index.js';
import { createTimedFakeBackend, FAKE_COSTS } from './support/timed-fake-backend.js';

const spec = mobilenetV1({ alpha: 0.25, resolution: 32, classes: 4 });
const x = randomUniform([1, 32, 32, 3], 7);

/** Tuning on the fake clock: every measured time is exactly the variants' costs. */
function fakeTune(backend: ReturnType<typeof createTimedFakeBackend>, budgetMs = 1e6): InstantiateOptions['tune'] {
  return { budgetMs, now: () => backend.clock.now, warmup: 1, repeats: 3 };
}

async function output(model: Awaited<ReturnType<typeof instantiate>>): Promise<Float32Array> {
  return (onlyOutput(await model.predictAsync(x)) as HostTensor).data;
}

describe('instantiate(…, { tune }) on a fake clock', () => {
  it('times every candidate and keeps the fastest per step, recorded on the plan and in model.tuning', async () => {
    const backend = createTimedFakeBackend();
    const model = await instantiate(spec, backend, { tune: fakeTune(backend), tuneCache: memoryTuneCache() });
    const report = model.tuning!;
    expect(report.fingerprint).toBe('fake device 1');
    const separable = report.steps.filter((s) => s.op === 'separableConv2d');
    expect(separable.length).toBe(13);
    for (const step of separable) {
      expect(step.candidates).toEqual([
        { name: 'sep-fused', ms: FAKE_COSTS['sep-fused'] },
        // dispatch's depthwise (dw-3x3) then pointwise (pw-a)
        { name: 'unfused', ms: FAKE_COSTS['dw-3x3']! + FAKE_COSTS['pw-a']! },
      ]);
      expect(step.chosen).toBe('unfused');
      expect(['measured', 'cache']).toContain(step.source);
      expect(model.plan.steps[step.step]).toMatchObject({ kind: 'separable', variant: 'unfused' });
    }
    // Identical blocks are measured once: (warm-up + 3 repeats) fused calls per distinct geometry.
    const distinct = new Set(separable.map((s) => s.predictedMs)).size;
    expect(distinct).toBeLessThan(13);
    expect(backend.calls.get('sep-fused')).toBe(4 * distinct);
    const stem = report.steps.find((s) => s.op === 'conv2d')!;
    expect(stem).toMatchObject({ chosen: 'conv-only', source: 'single', candidates: [{ name: 'conv-only', ms: undefined }] });
    expect(model.plan.steps[stem.step]).not.toHaveProperty('variant');
    const classifier = report.steps.find((s) => s.op === 'pointwiseConv2d')!;
    expect(classifier).toMatchObject({ chosen: 'pw-b', source: 'measured' });
    expect(report.steps.every((s) => s.predictedMs > 0)).toBe(true);
    expect(formatTuningReport(report)).toMatch(/Tuned on fake device 1\n\d+ ms of a 1000000 ms budget[\s\S]*\*unfused 5\.000[\s\S]*\*pw-b 1\.000/);
  });

  it('tunes the two halves of an unfused plan: the generic depthwise and pw-b win', async () => {
    const backend = createTimedFakeBackend();
    const model = await instantiate(spec, backend, { fuseSeparable: false, tune: fakeTune(backend), tuneCache: memoryTuneCache() });
    const chosen = new Set(model.tuning!.steps.filter((s) => s.op !== 'conv2d').map((s) => `${s.op} ${s.chosen}`));
    expect(chosen).toEqual(new Set(['depthwiseConv2d dw-generic', 'pointwiseConv2d pw-b']));
  });

  it("runs the tuned plan to the untuned model's outputs", async () => {
    const backend = createTimedFakeBackend();
    const untuned = await instantiate(spec, backend);
    const tuned = await instantiate(spec, backend, { tune: fakeTune(backend), tuneCache: memoryTuneCache() });
    const calls = backend.calls.get('unfused');
    expect(calls, 'unfused is a plan-level candidate, never a backend variant').toBeUndefined();
    const [expected, actual] = [await output(untuned), await output(tuned)];
    for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, 5);
  });

  it('a second model on the same device reads every choice from the cache and times nothing', async () => {
    const cache = memoryTuneCache();
    const backend = createTimedFakeBackend();
    await instantiate(spec, backend, { tune: fakeTune(backend), tuneCache: cache });
    const before = backend.clock.now;
    const again = await instantiate(spec, backend, { tune: fakeTune(backend), tuneCache: cache });
    expect(backend.clock.now, 'no call was timed').toBe(before);
    expect(again.tuning!.steps.filter((s) => s.source !== 'single').every((s) => s.source === 'cache')).toBe(true);
    expect(again.tuning!.steps.find((s) => s.op === 'pointwiseConv2d')).toMatchObject({
      chosen: 'pw-b',
      candidates: [
        { name: 'pw-a', ms: 3 },
        { name: 'pw-b', ms: 1 },
      ],
    });
    // Another device fingerprint is a miss.
    const other = createTimedFakeBackend('fake device 2');
    const elsewhere = await instantiate(spec, other, { tune: fakeTune(other), tuneCache: cache });
    expect(elsewhere.tuning!.steps.some((s) => s.source === 'measured')).toBe(true);
    expect(other.clock.now).toBeGreaterThan(0);
  });

  it('stops at the budget, spending it on the geometries with the largest predicted time first', async () => {
    const backend = createTimedFakeBackend();
    const budgetMs = 30;
    const cache = memoryTuneCache();
    const model = await instantiate(spec, backend, { tune: fakeTune(backend, budgetMs), tuneCache: cache });
    const report = model.tuning!;
    // Once started, a candidate finishes its warm-up and one measured call: at most (1 + 1) × the dearest variant over.
    const maxCost = Math.max(...Object.values(FAKE_COSTS));
    expect(report.elapsedMs).toBeLessThanOrEqual(budgetMs + 2 * maxCost);
    expect(backend.clock.now).toBe(report.elapsedMs);
    const measured = report.steps.filter((s) => s.source === 'measured');
    const skipped = report.steps.filter((s) => s.source === 'budget');
    expect(measured.length).toBeGreaterThan(0);
    expect(skipped.length).toBeGreaterThan(0);
    // A skipped step keeps the backend's dispatch: no variant on its plan step.
    for (const step of skipped) {
      expect(step.chosen).toBe(step.candidates[0]!.name);
      expect(model.plan.steps[step.step]).not.toHaveProperty('variant');
    }
    // The prior: a geometry's weight is its predicted time × how many steps share it.
    const weight = (predictedMs: number) => predictedMs * report.steps.filter((s) => s.predictedMs === predictedMs).length;
    const lightestMeasured = Math.min(...measured.map((s) => weight(s.predictedMs)));
    for (const step of skipped) expect(weight(step.predictedMs)).toBeLessThanOrEqual(lightestMeasured);
    // A geometry whose candidates were not all timed is not cached: a later run with time measures it.
    const later = await instantiate(spec, backend, { tune: fakeTune(backend), tuneCache: cache });
    const partial = measured.filter((s) => s.candidates.some((c) => c.ms === undefined));
    for (const step of partial) expect(later.tuning!.steps.find((s) => s.step === step.step)!.source).toBe('measured');
  });

  it('stops repeating a candidate whose first measured call is over 3× the best so far', async () => {
    const backend = createTimedFakeBackend('fake device 1', { 'pw-a': 1, 'pw-b': 10 });
    const model = await instantiate(spec, backend, { fuseSeparable: false, tune: fakeTune(backend), tuneCache: memoryTuneCache() });
    const pointwise = model.tuning!.steps.filter((s) => s.op === 'pointwiseConv2d');
    const distinct = new Set(pointwise.map((s) => s.predictedMs)).size;
    expect(pointwise.every((s) => s.chosen === 'pw-a' && s.candidates[1]!.ms === 10)).toBe(true);
    // pw-a: warm-up + 3 repeats; pw-b: warm-up + 1 measured call.
    expect(backend.calls.get('pw-a')).toBe(4 * distinct);
    expect(backend.calls.get('pw-b')).toBe(2 * distinct);
  });

  it('a candidate whose warm-up ends past the deadline is not measured (a first call includes compiling)', async () => {
    const backend = createTimedFakeBackend('fake device 1', { 'sep-fused': 50 });
    const model = await instantiate(spec, backend, { tune: fakeTune(backend, 20), tuneCache: memoryTuneCache() });
    // The first geometry tuned is a separable one; its first candidate's warm-up alone (50 ms) spends the budget.
    expect(backend.clock.now).toBe(50);
    expect(model.tuning!.steps.some((s) => s.source === 'measured')).toBe(false);
    for (const step of model.tuning!.steps) expect(step.candidates.every((c) => c.ms === undefined)).toBe(true);
  });

  it('a zero budget times nothing and keeps the dispatch choices', async () => {
    const backend = createTimedFakeBackend();
    const model = await instantiate(spec, backend, { tune: fakeTune(backend, 0), tuneCache: memoryTuneCache() });
    expect(backend.clock.now).toBe(0);
    expect(new Set(model.tuning!.steps.map((s) => s.source))).toEqual(new Set(['budget', 'single']));
  });

  it('reports progress once per distinct geometry, ending at fraction 1', async () => {
    const backend = createTimedFakeBackend();
    const seen: TuneProgress[] = [];
    await instantiate(spec, backend, { tune: fakeTune(backend), tuneCache: memoryTuneCache(), onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.map((p) => p.done)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.every((p) => p.total === seen.length)).toBe(true);
    expect(seen.at(-1)!.fraction).toBe(1);
    expect(seen[0]!.step.layers.length).toBeGreaterThan(0);
  });

  it('a backend without kernel variants (reference) has nothing to tune and runs as before', async () => {
    const reference = createReferenceBackend();
    const model = await instantiate(spec, reference, { tune: true, tuneCache: memoryTuneCache() });
    expect(model.tuning).toMatchObject({ steps: [], elapsedMs: 0 });
    expect(model.tuning!.fingerprint).toMatch(/no kernel variants/);
    expect((await output(model)).length).toBe(4);
    expect((await instantiate(spec, reference)).tuning).toBeUndefined();
  });

  it('refuses malformed tuning options with a ValueError naming the option', async () => {
    const backend = createTimedFakeBackend();
    const cases: [InstantiateOptions, string][] = [
      [{ tune: 'fast' as unknown as boolean }, 'options.tune'],
      [{ tune: -1 }, 'options.tune'],
      [{ tune: Number.NaN }, 'options.tune'],
      [{ tune: { budgetMs: Number.POSITIVE_INFINITY } }, 'options.tune.budgetMs'],
      [{ tune: { repeats: 0 } }, 'options.tune.repeats'],
      [{ tune: { warmup: 1.5 } }, 'options.tune.warmup'],
      [{ tune: { now: 5 as unknown as () => number } }, 'options.tune.now'],
      [{ tune: true, tuneCache: {} as never }, 'options.tuneCache'],
      [{ tune: true, onProgress: 3 as never }, 'options.onProgress'],
    ];
    for (const [options, argument] of cases) {
      const error = await instantiate(spec, backend, options).catch((e: unknown) => e);
      expect(error, argument).toBeInstanceOf(ValueError);
      expect((error as ValueError).argument).toBe(argument);
      expect((error as ValueError).op).toBe('instantiate');
    }
    expect(backend.clock.now, 'nothing ran').toBe(0);
  });
});

describe('formatTuningReport', () => {
  it('names the ending all variant names share once, in the header, and marks the choice', () => {
    const text = formatTuningReport({
      fingerprint: 'cpu x',
      budgetMs: 100,
      elapsedMs: 12.4,
      steps: [
        {
          step: 1,
          layers: ['conv_dw_1', 'conv_pw_1'],
          op: 'separableConv2d',
          predictedMs: 1.5,
          chosen: 'unfused',
          source: 'measured',
          candidates: [
            { name: 'sepconv2d-nhwc-fused-f32-wasmsimd', ms: 2.25 },
            { name: 'unfused', ms: 2 },
          ],
        },
        {
          step: 2,
          layers: ['conv_preds'],
          op: 'pointwiseConv2d',
          predictedMs: 0.05,
          chosen: 'pwconv2d-nhwc-gemm4x8-f32-wasmsimd',
          source: 'budget',
          candidates: [{ name: 'pwconv2d-nhwc-gemm4x8-f32-wasmsimd' }, { name: 'pwconv2d-nhwc-igemm4x8-f32-wasmsimd' }],
        },
      ],
    });
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).toEqual(['Tuned on cpu x', '12 ms of a 100 ms budget; variant names end in -f32-wasmsimd']);
    expect(text).toContain('sepconv2d-nhwc-fused 2.250, *unfused 2.000');
    expect(text).toContain('*pwconv2d-nhwc-gemm4x8 —, pwconv2d-nhwc-igemm4x8 —');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(120);
  });
});

describe('fileTuneCache', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('keeps results in a JSON file that a later cache on the same path reads', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sepconv-tune-'));
    dirs.push(dir);
    const path = join(dir, 'tuning.json');
    const backend = createTimedFakeBackend();
    await instantiate(spec, backend, { tune: fakeTune(backend), tuneCache: fileTuneCache(path) });
    const stored = JSON.parse(await readFile(path, 'utf8')) as Record<string, { chosen: string }>;
    expect(Object.keys(stored).every((key) => key.startsWith('fake device 1|'))).toBe(true);
    expect(Object.values(stored).map((r) => r.chosen)).toContain('pw-b');
    const before = backend.clock.now;
    const again = await instantiate(spec, backend, { tune: fakeTune(backend), tuneCache: fileTuneCache(path) });
    expect(backend.clock.now).toBe(before);
    expect(again.tuning!.steps.filter((s) => s.source !== 'single').every((s) => s.source === 'cache')).toBe(true);
  });

  it('a damaged file or record is a miss (retune), not an error; a bad path is a ValueError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sepconv-tune-'));
    dirs.push(dir);
    const path = join(dir, 'tuning.json');
    await writeFile(path, '{ not json');
    const backend = createTimedFakeBackend();
    const model = await instantiate(spec, backend, { tune: fakeTune(backend), tuneCache: fileTuneCache(path) });
    expect(model.tuning!.steps.some((s) => s.source === 'measured')).toBe(true);
    const key = Object.keys(JSON.parse(await readFile(path, 'utf8')) as object)[0]!;
    const cache = fileTuneCache(path);
    await writeFile(path, JSON.stringify({ [key]: { chosen: 7, times: {} } }));
    expect(await cache.get(key)).toBeUndefined();
    expect(() => fileTuneCache('')).toThrow(ValueError);
  });
});
