// The runtime on graphs: several outputs sharing a backbone, squeeze-and-excitation, concat,
// pad, max pooling and resize, constants before and after a convolution, several inputs — each
// compared with the layer-by-layer evaluation (nothing folded or fused) on the reference, CPU
// and WebGPU backends; liveness checked on a backend that counts its live tensors.
import { createCpuBackend } from '@sepconv/cpu';
import {
  activationLayer,
  batchNormLayer,
  concatLayer,
  conv2dLayer,
  elementwiseLayer,
  modelSpec,
  padLayer,
  pointwiseConv2dLayer,
  poolLayer,
  rescalingLayer,
  resizeBilinearLayer,
  type ModelSpec,
} from '@sepconv/graph';
import { HostTensor, randomUniform, ShapeError, UnsupportedError, ValueError, type Backend, type Tensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { afterAll, describe, expect, it } from 'vitest';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput, type ModelOutputs } from '../src/runtime/model.js';
import { randomWeights } from '../src/weights/random-weights.js';
import { evaluateGraph } from './support/evaluate-spec.js';
import { createFakeDeviceBackend } from './support/fake-device-backend.js';
import { acquireWebGpuBackend } from './support/gpu-backend.js';

const X = [1, 12, 12, 3];

/**
 * A backbone (conv, batch norm, ReLU6) with two heads: squeeze-and-excitation (global pool →
 * 1×1 ReLU → 1×1 → hard-sigmoid → channel-wise multiply) then a 1×1 conv and hard-swish; and pad
 * → padded max pool → bilinear resize back → concat with the backbone → 1×1 conv.
 */
function twoHeads(): ModelSpec {
  const stem = conv2dLayer({ name: 'stem', inputShape: X, kernelSize: 3, outChannels: 8, padding: 'same' });
  const shape = stem.outputShape;
  const pool = poolLayer({ name: 'se_pool', inputShape: shape, mode: 'avg', global: true, keepDims: true });
  const reduce = pointwiseConv2dLayer({ name: 'se_reduce', inputShape: pool.outputShape, outChannels: 2, useBias: true, activation: 'relu' });
  const expand = pointwiseConv2dLayer({ name: 'se_expand', inputShape: reduce.outputShape, outChannels: 8, useBias: true });
  const padded = padLayer({ name: 'padded', inputShape: shape, padding: { top: 1, bottom: 0, left: 2, right: 1 }, inputs: ['stem_relu'] });
  const maxed = poolLayer({ name: 'maxed', inputShape: padded.outputShape, mode: 'max', poolSize: 3, strides: 2, padding: 'same' });
  const up = resizeBilinearLayer({ name: 'up', inputShape: maxed.outputShape, size: [12, 12] });
  const joined = concatLayer({ name: 'joined', inputShapes: [shape, up.outputShape], inputs: ['stem_relu', 'up'] });
  return modelSpec({
    name: 'two-heads',
    inputShape: X,
    layers: [
      stem,
      batchNormLayer({ name: 'stem_bn', inputShape: shape }),
      activationLayer({ name: 'stem_relu', inputShape: shape, activation: 'relu6' }),
      pool,
      reduce,
      expand,
      activationLayer({ name: 'se_gate', inputShape: expand.outputShape, activation: 'hardSigmoid' }),
      elementwiseLayer({ op: 'mul', name: 'se_mul', inputShapes: [shape, expand.outputShape], inputs: ['stem_relu', 'se_gate'] }),
      pointwiseConv2dLayer({ name: 'head1', inputShape: shape, outChannels: 4 }),
      activationLayer({ name: 'head1_swish', inputShape: [1, 12, 12, 4], activation: 'hardSwish' }),
      padded,
      maxed,
      up,
      joined,
      pointwiseConv2dLayer({ name: 'head2', inputShape: joined.outputShape, outChannels: 3, useBias: true }),
    ],
    outputs: ['head1_swish', 'head2'],
  });
}

/**
 * TF-Hub's input scaling (`x · s − o`, per channel) before a padded conv, which must not absorb
 * it; after the conv a per-channel scale, an offset and a ReLU, which it must; then a sigmoid and
 * a constant divided by the result, which is not affine.
 */
function constants(): ModelSpec {
  const conv = conv2dLayer({ name: 'conv', inputShape: X, kernelSize: 3, outChannels: 5, padding: 'same', strides: 2 });
  const shape = conv.outputShape;
  return modelSpec({
    name: 'constants',
    inputShape: X,
    layers: [
      elementwiseLayer({ op: 'mul', name: 'scale_in', inputShape: X, constant: { shape: [] } }),
      elementwiseLayer({ op: 'sub', name: 'offset_in', inputShape: X, constant: { shape: [3] } }),
      conv,
      elementwiseLayer({ op: 'mul', name: 'scale_out', inputShape: shape, constant: { shape: [5] } }),
      elementwiseLayer({ op: 'sub', name: 'flip_out', inputShape: shape, constant: { shape: [], side: 'left' } }),
      activationLayer({ name: 'relu', inputShape: shape, activation: 'relu' }),
      activationLayer({ name: 'sigmoid', inputShape: shape, activation: 'sigmoid' }),
      elementwiseLayer({ op: 'div', name: 'inverse', inputShape: shape, constant: { shape: [1, 1, 1, 5], side: 'left' } }),
    ],
  });
}

/** Keras's Rescaling before a padded conv (two steps) and after it (folded). */
function rescalings(): ModelSpec {
  const conv = conv2dLayer({ name: 'conv', inputShape: X, kernelSize: 3, outChannels: 4, padding: 'same' });
  return modelSpec({
    name: 'rescalings',
    inputShape: X,
    layers: [
      rescalingLayer({ name: 'rescale_in', inputShape: X, scale: 1 / 127.5, offset: -1 }),
      conv,
      rescalingLayer({ name: 'rescale_out', inputShape: conv.outputShape, scale: -2, offset: 0.5 }),
    ],
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

function asRecord<T extends Tensor>(outputs: ModelOutputs<T>): Record<string, T> {
  if ('shape' in outputs && 'dtype' in outputs) throw new Error('expected several outputs');
  return outputs as Record<string, T>;
}

async function checkAgainstEvaluation(backend: Backend, tolerance: number): Promise<void> {
  for (const spec of [twoHeads(), constants(), rescalings()]) {
    const model = await instantiate(spec, backend, { seed: 5 });
    const x = randomUniform([2, 12, 12, 3], 8, -1, 1);
    const expected = evaluateGraph(spec, randomWeights(spec, 5), new Map([['input', x]]));
    const result = await model.predictAsync(x);
    const byName: Record<string, HostTensor> = spec.outputs.length === 1 ? { [spec.outputs[0]!]: onlyOutput(result) } : asRecord(result);
    expect(Object.keys(byName)).toEqual(spec.outputs);
    for (const name of spec.outputs) {
      expect(byName[name]!.shape, name).toEqual(expected.get(name)!.shape);
      expect(maxAbsDiff(byName[name]!.data, expected.get(name)!.data), name).toBeLessThan(tolerance);
    }
    model.dispose();
  }
}

describe('graph plans', () => {
  it('folds a constant scale and offset after a conv with its ReLU, never the ones before a padded conv', async () => {
    const model = await instantiate(constants(), createReferenceBackend());
    expect(model.plan.steps.map((step) => [step.kind, step.layers])).toEqual([
      ['binary', ['scale_in']],
      ['binary', ['offset_in']],
      ['conv', ['conv', 'scale_out', 'flip_out', 'relu']],
      ['activation', ['sigmoid']],
      ['binary', ['inverse']],
    ]);
  });

  it('folds a rescaling after a conv, runs the one before it as a multiply and an add', async () => {
    const model = await instantiate(rescalings(), createReferenceBackend());
    expect(model.plan.steps.map((step) => [step.kind, step.layers])).toEqual([
      ['binary', ['rescale_in']],
      ['binary', ['rescale_in']],
      ['conv', ['conv', 'rescale_out']],
    ]);
  });

  it('keeps the backbone a step of its own where several heads read it; lists outputs by name', async () => {
    const model = await instantiate(twoHeads(), createReferenceBackend());
    expect(model.outputs).toEqual(['head1_swish', 'head2']);
    // se_gate's hard-sigmoid and head1_swish's hard-swish are their convolutions' epilogues.
    expect(model.plan.steps.map((step) => step.kind)).toEqual([
      'conv',
      'separable',
      'conv',
      'binary',
      'conv',
      'pad',
      'pool',
      'resize',
      'concat',
      'conv',
    ]);
    expect(model.plan.steps[0]!.layers).toEqual(['stem', 'stem_bn', 'stem_relu']);
  });
});

const gpu = await acquireWebGpuBackend();
afterAll(() => gpu.backend?.dispose());

describe('graphs agree with the layer-by-layer evaluation', () => {
  it('on the reference backend', async () => {
    await checkAgainstEvaluation(createReferenceBackend(), 1e-5);
  });

  it('on the CPU backend', async () => {
    const cpu = await createCpuBackend({ threads: 1 });
    try {
      await checkAgainstEvaluation(cpu, 1e-4);
    } finally {
      cpu.dispose();
    }
  });

  if (gpu.backend) {
    const backend = gpu.backend;
    it('on the WebGPU backend', async () => {
      await checkAgainstEvaluation(backend, 1e-4);
    });
  } else {
    it.skip(`NO WEBGPU ADAPTER — not run (set SEPCONV_REQUIRE_GPU=1 to fail instead): ${gpu.reason}`, () => {});
  }
});

describe('running graphs on a device backend', () => {
  it('reads nothing back and leaves only the outputs alive after predict', async () => {
    const device = createFakeDeviceBackend({ add: true, graphOps: true });
    const model = await instantiate(twoHeads(), device);
    const x = randomUniform([2, 12, 12, 3], 3);
    const before = device.live();
    const outputs = asRecord(model.predict(x));
    expect(device.reads).toBe(0);
    // Every intermediate was disposed after its last reader: only the two outputs remain.
    expect(device.live() - before).toBe(2);
    const expected = evaluateGraph(twoHeads(), randomWeights(twoHeads(), 1), new Map([['input', x]]));
    expect(maxAbsDiff(await device.read(outputs.head2!), expected.get('head2')!.data)).toBeLessThan(1e-5);
    for (const tensor of Object.values(outputs)) tensor.dispose();
    expect(device.live()).toBe(before);
  });

  it('without the graph capabilities: predict names the step, predictAsync reads around it', async () => {
    const device = createFakeDeviceBackend({ add: false });
    const model = await instantiate(twoHeads(), device);
    const x = randomUniform([1, 12, 12, 3], 4);
    const before = device.live();
    expect(() => model.predict(x)).toThrow(UnsupportedError);
    expect(() => model.predict(x)).toThrow(/layer 'se_mul' needs 'mul', which backend 'fake-device' lacks/);
    // The values made before the failing step are freed, not left on the device.
    expect(device.live()).toBe(before);
    const outputs = asRecord(await model.predictAsync(x));
    const expected = evaluateGraph(twoHeads(), randomWeights(twoHeads(), 1), new Map([['input', x]]));
    expect(maxAbsDiff(outputs.head1_swish!.data, expected.get('head1_swish')!.data)).toBeLessThan(1e-5);
    expect(device.reads).toBeGreaterThan(0);
  });

  it("an 'nchw' model's predict on a device backend refuses its rank-4 outputs (predictAsync transposes them) and frees what it made", async () => {
    const device = createFakeDeviceBackend({ add: true, graphOps: true });
    const model = await instantiate({ ...twoHeads(), layout: 'nchw' }, device);
    const x = randomUniform([1, 3, 12, 12], 5);
    const before = device.live();
    expect(() => model.predict(x)).toThrow(
      /returns NCHW, transposed on the host, but its output \[1, 12, 12, 4\] is on 'fake-device': use predictAsync/,
    );
    expect(device.live()).toBe(before);
    expect(asRecord(await model.predictAsync(x)).head1_swish!.shape).toEqual([1, 4, 12, 12]);
  });
});

describe('several inputs', () => {
  const spec = modelSpec({
    name: 'two-in',
    inputs: [
      { name: 'image', shape: [1, 6, 6, 3] },
      { name: 'mask', shape: [1, 6, 6, 1] },
    ],
    layers: [
      conv2dLayer({ name: 'conv', inputShape: [1, 6, 6, 3], kernelSize: 3, outChannels: 4, padding: 'same', inputs: ['image'] }),
      elementwiseLayer({
        op: 'mul',
        name: 'masked',
        inputShapes: [
          [1, 6, 6, 4],
          [1, 6, 6, 1],
        ],
        inputs: ['conv', 'mask'],
      }),
    ],
  });

  it('takes a record by input name and matches the evaluation', async () => {
    const model = await instantiate(spec, createReferenceBackend());
    expect(model.inputs).toEqual(['image', 'mask']);
    const inputs = { image: randomUniform([2, 6, 6, 3], 1), mask: randomUniform([2, 6, 6, 1], 2) };
    const y = onlyOutput(model.predict(inputs)) as HostTensor;
    const expected = evaluateGraph(spec, randomWeights(spec, 1), new Map(Object.entries(inputs)));
    expect(maxAbsDiff(y.data, expected.get('masked')!.data)).toBeLessThan(1e-6);
  });

  it('names what is missing, unknown or misshapen', async () => {
    const model = await instantiate(spec, createReferenceBackend());
    const image = randomUniform([1, 6, 6, 3], 1);
    expect(() => model.predict(image)).toThrow(ValueError);
    expect(() => model.predict(image)).toThrow(/has 2 inputs: pass a record \{ image: Tensor, mask: Tensor \}/);
    expect(() => model.predict({ image })).toThrow(/missing 'mask'/);
    expect(() => model.predict({ image, mask: randomUniform([1, 6, 6, 1], 1), extra: image })).toThrow(/unknown 'extra'/);
    expect(() => model.predict({ image, mask: randomUniform([1, 6, 6, 2], 1) })).toThrow(ShapeError);
    expect(() => model.predict({ image, mask: randomUniform([1, 6, 6, 2], 1) })).toThrow(/x\.mask must be \[batch, 6, 6, 1\]/);
  });
});
