import { createCpuBackend } from '@sepconv/cpu';
import { randomUniform, ShapeError, UnsupportedError, ValueError, HostTensor, tensor, isHostTensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { mobilenetV1, mobilenetV2, mobilenetV3 } from '../src/spec/index.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { randomWeights } from '../src/weights/random-weights.js';
import { evaluateSpec } from './support/evaluate-spec.js';
import { createFakeDeviceBackend } from './support/fake-device-backend.js';

const reference = createReferenceBackend();

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

function host(t: unknown): HostTensor {
  if (!(t instanceof HostTensor)) throw new Error('expected a host tensor');
  return t;
}

describe('instantiate + predict on the reference backend (random weights)', () => {
  it('MobileNetV1 0.25-32 matches the unfolded, unfused layer-by-layer evaluation, batch 2', async () => {
    const spec = mobilenetV1({ alpha: 0.25, resolution: 32, classes: 10 });
    const model = await instantiate(spec, reference, { seed: 7 });
    const x = randomUniform([2, 32, 32, 3], 3);
    const y = host(model.predict(x));
    expect(y.shape).toEqual([2, 10]);
    const expected = evaluateSpec(spec, randomWeights(spec, 7), x);
    expect(maxAbsDiff(y.data, expected.data)).toBeLessThan(1e-5);
    // Every batch norm and ReLU6 folded away: conv1, 13 fused separable blocks, the pool (a
    // full-window depthwise conv here) fused with the classifier through the dropout between
    // them, which moves no data, then the final reshape and softmax.
    expect(model.plan.steps.map((s) => s.kind)).toEqual(['conv', ...Array(14).fill('separable'), 'relabel', 'softmax']);
    expect(model.plan.steps[14]!.layers).toEqual(['global_average_pooling2d', 'dropout', 'conv_preds']);
    expect(model.plan.steps[1]!.layers).toEqual(['conv_dw_1', 'conv_dw_1_bn', 'conv_dw_1_relu', 'conv_pw_1', 'conv_pw_1_bn', 'conv_pw_1_relu']);
    const sums = Array.from({ length: 2 }, (_, b) => y.data.slice(b * 10, b * 10 + 10).reduce((s, v) => s + v, 0));
    for (const sum of sums) expect(sum).toBeCloseTo(1, 5);
  });

  it('MobileNetV2 0.35-32 with residual adds matches the layer-by-layer evaluation', async () => {
    const spec = mobilenetV2({ alpha: 0.35, resolution: 32, classes: 7 });
    const model = await instantiate(spec, reference, { seed: 11 });
    const x = randomUniform([1, 32, 32, 3], 5);
    const y = host(model.predict(x));
    const expected = evaluateSpec(spec, randomWeights(spec, 11), x);
    expect(y.shape).toEqual([1, 7]);
    expect(maxAbsDiff(y.data, expected.data)).toBeLessThan(1e-5);
    // The reference backend takes options.residual: each of the 10 residual adds is folded into
    // the separable step (depthwise + projection) whose output it alone reads, as its second input.
    expect(model.plan.steps.filter((s) => s.kind === 'binary')).toHaveLength(0);
    const residual = model.plan.steps.filter((s) => s.inputs.length === 2);
    expect(residual.map((s) => [s.kind, s.layers[s.layers.length - 1]])).toEqual(
      [2, 4, 5, 7, 8, 9, 11, 12, 14, 15].map((block) => ['separable', `block_${block}_add`]),
    );
    // 17 blocks' depthwise + projection, and the pooling (a depthwise conv) + dense classifier.
    expect(model.plan.steps.filter((s) => s.kind === 'separable')).toHaveLength(18);
  });

  it('keeps the residual adds as steps on a backend that takes no residual, and unfused folds them into the pointwise conv', async () => {
    const spec = mobilenetV2({ alpha: 0.35, resolution: 32, classes: 7 });
    const x = randomUniform([2, 32, 32, 3], 5);
    const expected = evaluateSpec(spec, randomWeights(spec, 11), x);
    const plain = await instantiate(spec, createFakeDeviceBackend({ add: true }), { seed: 11 });
    expect(plain.plan.steps.filter((s) => s.kind === 'binary' && s.op === 'add')).toHaveLength(10);
    expect(plain.plan.steps.every((s) => s.inputs.length === 1 || s.kind === 'binary')).toBe(true);
    const unfused = await instantiate(spec, reference, { seed: 11, fuseSeparable: false });
    const folded = unfused.plan.steps.filter((s) => s.inputs.length === 2);
    expect(folded.map((s) => (s.kind === 'conv' ? s.op : s.kind))).toEqual(Array(10).fill('pointwiseConv2d'));
    expect(maxAbsDiff(host(unfused.predict(x)).data, expected.data)).toBeLessThan(1e-5);
  });

  it('gives the same result with the separable fusion off, and from predictAsync', async () => {
    const spec = mobilenetV2({ alpha: 0.35, resolution: 32, classes: 5 });
    const x = randomUniform([1, 32, 32, 3], 9);
    const fused = await instantiate(spec, reference, { seed: 2 });
    const unfused = await instantiate(spec, reference, { seed: 2, fuseSeparable: false });
    expect(unfused.plan.steps.some((s) => s.kind === 'separable')).toBe(false);
    const a = host(fused.predict(x));
    const b = host(unfused.predict(x));
    const c = onlyOutput(await fused.predictAsync(x));
    expect(maxAbsDiff(a.data, b.data)).toBeLessThan(1e-6);
    expect(Array.from(c.data)).toEqual(Array.from(a.data));
  });

  it('runs an empty batch to an empty result of the right shape', async () => {
    const model = await instantiate(mobilenetV1({ alpha: 0.25, resolution: 32, classes: 4 }), reference);
    const y = onlyOutput(model.predict(tensor(new Float32Array(0), [0, 32, 32, 3])));
    expect(y.shape).toEqual([0, 4]);
  });

  it('rejects an input of the wrong size with a ShapeError naming predict and x', async () => {
    const model = await instantiate(mobilenetV1({ alpha: 0.25, resolution: 32, classes: 4 }), reference);
    expect(() => model.predict(randomUniform([1, 33, 32, 3], 1))).toThrow(ShapeError);
    expect(() => model.predict(randomUniform([1, 33, 32, 3], 1))).toThrow(/^predict: x must be \[batch, 32, 32, 3\]/);
  });
});

describe('weights that do not fit the spec', () => {
  const spec = mobilenetV1({ alpha: 0.25, resolution: 32, classes: 3 });

  it('names the missing weight', async () => {
    const weights = new Map(randomWeights(spec));
    weights.delete('conv_pw_3_bn/moving_variance');
    await expect(instantiate(spec, reference, { weights })).rejects.toThrow(ValueError);
    await expect(instantiate(spec, reference, { weights })).rejects.toThrow(/conv_pw_3_bn\/moving_variance/);
  });

  it('names a weight of the wrong shape', async () => {
    const weights = new Map(randomWeights(spec));
    weights.set('conv_dw_2/depthwise_kernel', tensor(new Float32Array(3 * 3 * 8), [3, 3, 8, 1]));
    await expect(instantiate(spec, reference, { weights })).rejects.toThrow(ShapeError);
    await expect(instantiate(spec, reference, { weights })).rejects.toThrow(
      /conv_dw_2\/depthwise_kernel' must be \[3, 3, 16, 1\], got \[3, 3, 8, 1\]/,
    );
  });

  it('names a weight that matches no layer', async () => {
    const weights = new Map(randomWeights(spec));
    weights.set('block_1_expand/kernel', tensor([1], [1, 1]));
    await expect(instantiate(spec, reference, { weights })).rejects.toThrow(/weight 'block_1_expand\/kernel' matches no layer/);
  });

  it('rejects weights that are neither random nor a map', async () => {
    await expect(instantiate(spec, reference, { weights: 'imagenet' as 'random' })).rejects.toThrow(ValueError);
  });
});

describe('a backend whose tensors stay on a device', () => {
  it('runs MobileNetV2 with one read at the end when the backend can add', async () => {
    const spec = mobilenetV2({ alpha: 0.35, resolution: 32, classes: 5 });
    const device = createFakeDeviceBackend({ add: true });
    const model = await instantiate(spec, device, { seed: 4 });
    const x = randomUniform([1, 32, 32, 3], 8);
    const y = onlyOutput(await model.predictAsync(x));
    expect(device.reads).toBe(1);
    const expected = host((await instantiate(spec, reference, { seed: 4 })).predict(x));
    expect(maxAbsDiff(y.data, expected.data)).toBeLessThan(1e-6);
    // Intermediates are freed as soon as their last reader ran.
    expect(device.live()).toBe(0);
    // Without the softmax capability the final softmax needs the host, so the synchronous
    // call says to use predictAsync.
    expect(device.softmax).toBeUndefined();
    expect(() => model.predict(x)).toThrow(UnsupportedError);
    expect(() => model.predict(x)).toThrow(/predictAsync/);
  });

  it('runs a whole classifier in predict, softmax and reshape included, when the backend declares them', async () => {
    const spec = mobilenetV2({ alpha: 0.35, resolution: 32, classes: 5 });
    const device = createFakeDeviceBackend({ add: true, softmaxReshape: true });
    const model = await instantiate(spec, device, { seed: 4 });
    const x = randomUniform([2, 32, 32, 3], 8);
    const y = onlyOutput(model.predict(x));
    expect(isHostTensor(y)).toBe(false);
    expect(y.shape).toEqual([2, 5]);
    expect(device.reads).toBe(0);
    const expected = host((await instantiate(spec, reference, { seed: 4 })).predict(x));
    expect(maxAbsDiff(await device.read(y), expected.data)).toBeLessThan(1e-6);
    y.dispose();
    expect(device.live()).toBe(0);
  });

  it('without add, reads around each residual add (predictAsync) and refuses to in predict', async () => {
    const spec = mobilenetV2({ alpha: 0.35, resolution: 32, classes: 5, includeTop: false });
    const device = createFakeDeviceBackend({ add: false });
    const model = await instantiate(spec, device, { seed: 4 });
    const x = randomUniform([1, 32, 32, 3], 8);
    const y = onlyOutput(await model.predictAsync(x));
    expect(device.reads).toBeGreaterThan(1);
    const expected = host((await instantiate(spec, reference, { seed: 4 })).predict(x));
    // The reference folds the residual adds (its float64 sum rounds once, a separate add twice).
    expect(maxAbsDiff(y.data, expected.data)).toBeLessThan(1e-5);
    expect(() => model.predict(x)).toThrow(/block_2_add/);
  });

  it('keeps a headless V1 entirely on the device: predict returns a device tensor', async () => {
    const device = createFakeDeviceBackend({ add: false });
    const model = await instantiate(mobilenetV1({ alpha: 0.25, resolution: 32, includeTop: false }), device);
    const y = onlyOutput(model.predict(randomUniform([1, 32, 32, 3], 1)));
    expect(isHostTensor(y)).toBe(false);
    expect(y.shape).toEqual([1, 1, 1, 256]);
    expect(device.reads).toBe(0);
  });
});

describe("global average pooling follows the backend's loweringPreferences", () => {
  const spec = mobilenetV3({ variant: 'small', alpha: 0.75, resolution: 64, classes: 10 });
  // Nine squeeze-and-excitation blocks and the classifier's pool.
  const pools = spec.layers.filter((layer) => layer.type === 'pool' && layer.global).map((layer) => layer.name);
  const poolKinds = (model: { plan: { steps: readonly { kind: string; layers: readonly string[] }[] } }) =>
    pools.map((name) => model.plan.steps.find((step) => step.layers.includes(name))!.kind);

  it("runs globalPool steps on any backend that prefers them, whatever its name, with the convolution's results", async () => {
    expect(pools.length).toBe(10);
    const device = createFakeDeviceBackend({ add: true, graphOps: true, name: 'my-gpu', loweringPreferences: { globalAveragePool: 'globalPool2d' } });
    const model = await instantiate(spec, device, { seed: 5 });
    expect(poolKinds(model)).toEqual(Array(10).fill('globalPool'));
    const onReference = await instantiate(spec, reference, { seed: 5 });
    expect(poolKinds(onReference)).not.toContain('globalPool');
    const x = randomUniform([2, 64, 64, 3], 4);
    const y = onlyOutput(await model.predictAsync(x));
    expect(maxAbsDiff(y.data, host(onReference.predict(x)).data)).toBeLessThan(1e-5);
  });

  it("keeps full-window convolutions on a backend that declares no such preference, even one named 'cpu'", async () => {
    const device = createFakeDeviceBackend({ add: true, graphOps: true, name: 'cpu' });
    expect(poolKinds(await instantiate(spec, device, { seed: 5 }))).not.toContain('globalPool');
    const preferringConv = createFakeDeviceBackend({ add: true, graphOps: true, loweringPreferences: { globalAveragePool: 'depthwiseConv2d' } });
    expect(poolKinds(await instantiate(spec, preferringConv, { seed: 5 }))).not.toContain('globalPool');
  });

  it('keeps the convolution where a hand-built backend prefers globalPool2d but lacks the capability', async () => {
    const device = createFakeDeviceBackend({ add: true, loweringPreferences: { globalAveragePool: 'globalPool2d' } });
    const model = await instantiate(mobilenetV1({ alpha: 0.25, resolution: 32, classes: 3 }), device, { seed: 2 });
    expect(model.plan.steps.some((step) => step.kind === 'globalPool')).toBe(false);
    expect(onlyOutput(await model.predictAsync(randomUniform([1, 32, 32, 3], 1))).shape).toEqual([1, 3]);
  });
});

describe('predict on the CPU backend (softmax and reshape capabilities)', () => {
  it("runs global average pooling as globalPool steps (V3-Small's squeeze-and-excitation), where the reference keeps full-window convolutions", async () => {
    const backend = await createCpuBackend({ threads: 2 });
    try {
      const spec = mobilenetV3({ variant: 'small', alpha: 0.75, resolution: 64, classes: 10 });
      const model = await instantiate(spec, backend, { seed: 5 });
      const onReference = await instantiate(spec, reference, { seed: 5 });
      const pools = spec.layers.filter((layer) => layer.type === 'pool' && layer.global).map((layer) => layer.name);
      // Nine squeeze-and-excitation blocks and the classifier's pool.
      expect(pools.length).toBe(10);
      const stepOf = (steps: typeof model.plan.steps, name: string) => steps.find((step) => step.layers.includes(name))!;
      for (const name of pools) {
        expect(stepOf(model.plan.steps, name).kind, name).toBe('globalPool');
        expect(stepOf(onReference.plan.steps, name).kind, name).not.toBe('globalPool');
      }
      const x = randomUniform([2, 64, 64, 3], 4);
      const y = onlyOutput(await model.predictAsync(x));
      const expected = host(onReference.predict(x));
      expect(y.shape).toEqual([2, 10]);
      expect(maxAbsDiff(y.data, expected.data)).toBeLessThan(1e-4);
      model.dispose();
    } finally {
      backend.dispose();
    }
  });

  it('returns [batch, classes] probabilities on the backend that match predictAsync', async () => {
    const backend = await createCpuBackend({ threads: 1 });
    try {
      const model = await instantiate(mobilenetV1({ alpha: 0.25, resolution: 32, classes: 7 }), backend, { seed: 3 });
      const x = randomUniform([3, 32, 32, 3], 2);
      const y = onlyOutput(model.predict(x));
      expect(isHostTensor(y)).toBe(false);
      expect(y.shape).toEqual([3, 7]);
      const probabilities = await backend.read(y);
      y.dispose();
      for (let row = 0; row < 3; row++) {
        const sum = probabilities.subarray(row * 7, row * 7 + 7).reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(1, 5);
      }
      const viaHost = onlyOutput(await model.predictAsync(x));
      expect(viaHost.shape).toEqual([3, 7]);
      expect(maxAbsDiff(probabilities, viaHost.data)).toBeLessThan(1e-6);
      const expected = host((await instantiate(mobilenetV1({ alpha: 0.25, resolution: 32, classes: 7 }), reference, { seed: 3 })).predict(x));
      expect(maxAbsDiff(probabilities, expected.data)).toBeLessThan(1e-4);
      model.dispose();
    } finally {
      backend.dispose();
    }
  });
});
