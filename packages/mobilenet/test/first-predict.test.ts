import { createCpuBackend } from '@sepconv/cpu';
import { ChannelScaledTensor, randomUniform, type HostTensor } from '@sepconv/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import {
  instantiate,
  memoryTuneCache,
  mobilenetV1,
  mobilenetV2,
  mobilenetV3,
  onlyOutput,
  type InstantiateOptions,
  type ModelPlan,
  type ModelSpec,
} from '../src/index.js';
import { quantizedTestModels } from './support/quantized-models.js';

const backend = await createCpuBackend({ threads: 1 });
afterAll(() => backend.dispose());

const x = randomUniform([1, 32, 32, 3], 1);

const specs: [string, ModelSpec][] = [
  ['MobileNetV1 0.25-32', mobilenetV1({ alpha: 0.25, resolution: 32, classes: 10 })],
  ['MobileNetV2 0.35-32', mobilenetV2({ alpha: 0.35, resolution: 32, classes: 10 })],
  ['MobileNetV3-Large 0.75-32', mobilenetV3({ variant: 'large', alpha: 0.75, resolution: 32, classes: 10 })],
];

/** The filters of a plan's convolution and separable steps. */
function convolutionFilters(plan: ModelPlan): HostTensor[] {
  return plan.steps.flatMap((step) =>
    step.kind === 'conv' ? [step.filter] : step.kind === 'separable' ? [step.depthwiseFilter, step.pointwiseFilter] : [],
  );
}

const plans: [string, InstantiateOptions][] = [
  ['fused', {}],
  ['unfused', { fuseSeparable: false }],
  ['tuned', { tune: { budgetMs: 300, warmup: 1, repeats: 1 }, tuneCache: memoryTuneCache() }],
];

describe('the first predict on the CPU backend', () => {
  it.each(specs.flatMap(([name, spec]) => plans.map(([plan, options]) => [`${name}, ${plan}`, spec, options] as const)))(
    '%s: instantiate packs every layer, so predicting packs nothing',
    async (_name, spec, options) => {
      const before = backend.packings;
      const model = await instantiate(spec, backend, { seed: 3, ...options });
      try {
        expect(backend.packings).toBeGreaterThan(before);
        const packed = backend.packings;
        onlyOutput(model.predict(x)).dispose();
        await model.predictAsync(x);
        expect(backend.packings).toBe(packed);
      } finally {
        model.dispose();
      }
    },
  );

  it.each(
    Object.entries(quantizedTestModels).flatMap(([name, quantize]) => [
      [`${name} int8, fused`, quantize, true] as const,
      [`${name} int8, unfused`, quantize, false] as const,
    ]),
  )('%s: instantiate packs every int8 layer, so predicting packs nothing', async (_name, quantize, fuseSeparable) => {
    const { spec, weights } = await quantize();
    const before = backend.packings;
    const model = await instantiate(spec, backend, { weights, fuseSeparable });
    try {
      expect(backend.packings).toBeGreaterThan(before);
      const packed = backend.packings;
      await model.predictAsync(x);
      expect(backend.packings).toBe(packed);
    } finally {
      model.dispose();
    }
  });

  it.each(specs)(
    '%s on a fresh 2-thread backend: the first predict reaches the worker pool as one submission, as every later one',
    async (_name, spec) => {
      // A fresh backend: instantiate must also size the scratch and zero buffers the kernels read,
      // or the first predict grows them mid-queue and flushes the queue there (3 or 4 submissions).
      const fresh = await createCpuBackend({ threads: 2 });
      try {
        const model = await instantiate(spec, fresh, { seed: 4 });
        const submissions = [];
        for (let run = 0; run < 2; run++) {
          const before = fresh.submissions;
          await model.predictAsync(x);
          submissions.push(fresh.submissions - before);
        }
        expect(submissions).toEqual([1, 1]);
        model.dispose();
      } finally {
        fresh.dispose();
      }
    },
  );

  it('a model disposed frees what instantiate packed (its weights stay host tensors, so nothing else holds the packings)', async () => {
    const spec = specs[0]![1];
    // Scratch and zero buffers a first predict allocates stay with the backend: take them first.
    const warm = await instantiate(spec, backend, { seed: 1 });
    await warm.predictAsync(x);
    warm.dispose();
    const before = backend.allocatedBytes;
    const model = await instantiate(spec, backend, { seed: 2 });
    expect(backend.allocatedBytes).toBeGreaterThan(before);
    await model.predictAsync(x);
    model.dispose();
    expect(backend.allocatedBytes).toBe(before);
  });

  it.each(specs)(
    '%s: each batch norm is folded while packing, and no folded copy of the weights is made, by instantiate or by predicting',
    async (_name, spec) => {
      const model = await instantiate(spec, backend, { seed: 6 });
      try {
        const folded = convolutionFilters(model.plan).filter((filter) => filter instanceof ChannelScaledTensor);
        // Every batch norm of a MobileNet follows a convolution, so each is one folded filter.
        expect(folded).toHaveLength(spec.layers.filter((layer) => layer.type === 'batchNorm').length);
        await model.predictAsync(x);
        expect(folded.filter((filter) => filter.isMaterialized)).toEqual([]);
      } finally {
        model.dispose();
      }
    },
  );

  it('gives the outputs of a backend that prepares nothing (each layer packed inside its first call)', async () => {
    const spec = specs[1]![1];
    const prepared = await instantiate(spec, backend, { seed: 5 });
    // The same backend without the capability: its methods, prepareWeights and releaseWeights hidden.
    const plain = Object.create(backend, { prepareWeights: { value: undefined }, releaseWeights: { value: undefined } }) as typeof backend;
    const unprepared = await instantiate(spec, plain, { seed: 5 });
    try {
      const packed = backend.packings;
      const expected = onlyOutput(await unprepared.predictAsync(x)).data;
      expect(backend.packings).toBeGreaterThan(packed);
      expect(onlyOutput(await prepared.predictAsync(x)).data).toEqual(expected);
    } finally {
      prepared.dispose();
      unprepared.dispose();
    }
  });
});
