// A hard-swish spelled as several layers after a convolution — PyTorch's Mul(x, HardSigmoid(x))
// before opset 14, Keras's x · (relu6(x + 3) · 1/6) — becomes the convolution's hard-swish
// epilogue; near misses stay steps of their own. Each plan is checked against the
// layer-by-layer evaluation on the reference and CPU backends.
import { createCpuBackend } from '@sepconv/cpu';
import { activationLayer, conv2dLayer, elementwiseLayer, modelSpec, type LayerSpec, type ModelSpec } from '@sepconv/graph';
import { HostTensor, randomUniform, type Backend } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { loadOnnxModel } from '../src/onnx/load-onnx-model.js';
import { compileModel } from '../src/runtime/compile-model.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { randomWeights } from '../src/weights/random-weights.js';
import { evaluateGraph } from './support/evaluate-spec.js';
import { onnxMobileNetV3 } from './support/onnx-mobilenets.js';

const X = [1, 9, 9, 3];
const conv = conv2dLayer({ name: 'conv', inputShape: X, kernelSize: 3, outChannels: 6, padding: 'same', useBias: true });
const shape = conv.outputShape;
const scalar = (op: 'add' | 'mul' | 'div', name: string, input: string) =>
  elementwiseLayer({ op, name, inputShape: shape, inputs: [input], constant: { shape: [] } });
const times = (gate: string, inputs = ['conv', gate]) => elementwiseLayer({ op: 'mul', name: 'swish', inputShapes: [shape, shape], inputs });

/** PyTorch before opset 14: HardSigmoid then Mul (operands in either order). */
const pytorch = (inputs?: string[]): LayerSpec[] => [
  conv,
  activationLayer({ name: 'gate', inputShape: shape, activation: 'hardSigmoid', inputs: ['conv'] }),
  times('gate', inputs),
];

/** Keras's hard_swish: x · (relu6(x + 3) · 1/6), the last factor a multiply or a divide by 6. */
const keras = (scale: 'mul' | 'div' = 'mul'): LayerSpec[] => [
  conv,
  scalar('add', 'plus3', 'conv'),
  activationLayer({ name: 'relu6', inputShape: shape, activation: 'relu6', inputs: ['plus3'] }),
  scalar(scale, 'sixth', 'relu6'),
  times('sixth'),
];

/** The `h_swish` module of PyTorch ports: x · relu6(x + 3), then / 6 (or · 1/6) after the product. */
const scaledLast = (scale: 'mul' | 'div' = 'div'): LayerSpec[] => [
  conv,
  scalar('add', 'plus3', 'conv'),
  activationLayer({ name: 'relu6', inputShape: shape, activation: 'relu6', inputs: ['plus3'] }),
  elementwiseLayer({ op: 'mul', name: 'product', inputShapes: [shape, shape], inputs: ['conv', 'relu6'] }),
  scalar(scale, 'swish', 'product'),
];

/** The `h_sigmoid` module of PyTorch ports (a squeeze-and-excitation gate): relu6(x + 3) / 6. */
const hSigmoid = (scale: 'mul' | 'div' = 'div'): LayerSpec[] => [
  conv,
  scalar('add', 'plus3', 'conv'),
  activationLayer({ name: 'relu6', inputShape: shape, activation: 'relu6', inputs: ['plus3'] }),
  scalar(scale, 'swish', 'relu6'),
];

function build(layers: LayerSpec[], constants: Record<string, number>, outputs = ['swish']): { spec: ModelSpec; weights: Map<string, HostTensor> } {
  const spec = modelSpec({ name: 'swish', inputShape: X, layers, outputs });
  const weights = new Map(randomWeights(spec, 3));
  for (const [layer, value] of Object.entries(constants)) weights.set(`${layer}/constant`, new HostTensor(new Float32Array([value]), []));
  return { spec, weights };
}

async function plan(layers: LayerSpec[], constants: Record<string, number> = {}, outputs?: string[]) {
  const { spec, weights } = build(layers, constants, outputs);
  const x = randomUniform(X, 11, -2, 2);
  const expected = evaluateGraph(spec, weights, new Map([['input', x]])).get(spec.outputs[0]!)!.data;
  for (const backend of [createReferenceBackend(), await createCpuBackend({ threads: 1 })] as Backend[]) {
    const model = await instantiate(spec, backend, { weights });
    const result = await model.predictAsync(x);
    const y = (spec.outputs.length === 1 ? onlyOutput(result) : (result as Record<string, HostTensor>)[spec.outputs[0]!]!).data;
    expect(Math.max(...y.map((v, i) => Math.abs(v - expected[i]!))), backend.name).toBeLessThan(1e-5);
    model.dispose();
    if (backend.name !== 'reference') backend.dispose();
  }
  const model = await instantiate(spec, createReferenceBackend(), { weights });
  return model.plan.steps.map((step) => [step.kind, 'activation' in step ? step.activation : undefined, step.layers]);
}

describe('hard-swish spelled as several layers folds into the convolution', () => {
  it("PyTorch's Mul(x, HardSigmoid(x)), either operand order", async () => {
    expect(await plan(pytorch())).toEqual([['conv', 'hardSwish', ['conv', 'gate', 'swish']]]);
    expect(await plan(pytorch(['gate', 'conv']))).toEqual([['conv', 'hardSwish', ['conv', 'gate', 'swish']]]);
  });

  it("Keras's x · (relu6(x + 3) · 1/6), and with a divide by 6", async () => {
    expect(await plan(keras(), { plus3: 3, sixth: 1 / 6 })).toEqual([['conv', 'hardSwish', ['conv', 'plus3', 'relu6', 'sixth', 'swish']]]);
    expect(await plan(keras('div'), { plus3: 3, sixth: 6 })).toEqual([['conv', 'hardSwish', ['conv', 'plus3', 'relu6', 'sixth', 'swish']]]);
  });

  it('x · relu6(x + 3) / 6, the scale after the product (a divide by 6 or a multiply by 1/6)', async () => {
    const layers = ['conv', 'plus3', 'relu6', 'product', 'swish'];
    expect(await plan(scaledLast(), { plus3: 3, swish: 6 })).toEqual([['conv', 'hardSwish', layers]]);
    expect(await plan(scaledLast('mul'), { plus3: 3, swish: 1 / 6 })).toEqual([['conv', 'hardSwish', layers]]);
  });

  it('relu6(x + 3) / 6 after a convolution is its hard-sigmoid epilogue, not a folded add, a ReLU6 and a divide', async () => {
    expect(await plan(hSigmoid(), { plus3: 3, swish: 6 })).toEqual([['conv', 'hardSigmoid', ['conv', 'plus3', 'relu6', 'swish']]]);
    expect(await plan(hSigmoid('mul'), { plus3: 3, swish: 1 / 6 })).toEqual([['conv', 'hardSigmoid', ['conv', 'plus3', 'relu6', 'swish']]]);
    // Another scale or shift: the add folds into the bias and ReLU6 is the epilogue, the scale a step.
    expect(await plan(hSigmoid(), { plus3: 3, swish: 5 })).toEqual([
      ['conv', 'relu6', ['conv', 'plus3', 'relu6']],
      ['binary', 'linear', ['swish']],
    ]);
    expect((await plan(hSigmoid(), { plus3: 2, swish: 6 }))[0]).toEqual(['conv', 'relu6', ['conv', 'plus3', 'relu6']]);
    // The ReLU6 read elsewhere too: it must be computed, so only the add folds.
    expect((await plan(hSigmoid(), { plus3: 3, swish: 6 }, ['swish', 'relu6']))[0]).toEqual(['conv', 'relu6', ['conv', 'plus3', 'relu6']]);
  });

  it('leaves other constants, a gate read elsewhere and a convolution output kept as steps', async () => {
    const unfused = ['conv', 'linear', ['conv']];
    expect((await plan(keras(), { plus3: 2, sixth: 1 / 6 }))[0]).toEqual(unfused);
    expect((await plan(keras(), { plus3: 3, sixth: 0.2 }))[0]).toEqual(unfused);
    expect((await plan(pytorch(), {}, ['swish', 'gate']))[0]).toEqual(unfused);
    expect((await plan(pytorch(), {}, ['swish', 'conv']))[0]).toEqual(unfused);
    expect((await plan(scaledLast(), { plus3: 3, swish: 5 }))[0]).toEqual(unfused);
    expect((await plan(scaledLast(), { plus3: 3, swish: 6 }, ['swish', 'product']))[0]).toEqual(unfused);
  });

  it('reaches the fused form from ONNX files: MobileNetV3 at opset 11 (x · HardSigmoid(x)) and 17 (HardSwish) plan no activation step', () => {
    for (const [variant, opset] of [
      ['small', 11],
      ['large', 17],
    ] as const) {
      const { spec, weights } = loadOnnxModel(onnxMobileNetV3(variant, { opset, seed: 11 }));
      const steps = compileModel(spec, weights).steps;
      expect(
        steps.filter((step) => step.kind === 'activation'),
        `${variant} opset ${opset}`,
      ).toEqual([]);
      expect(steps.filter((step) => 'activation' in step && step.activation === 'hardSwish').length).toBeGreaterThan(5);
    }
  });
});
