// A MobileNetV3-Large (and V2) read from ONNX in torchvision's layout compiles to the plan of
// sepconv's own mobilenetV3() (same architecture at width 1.0, no input rescaling, logits) and
// mobilenetV2(): the same steps of the same kinds, convolutions with the same fused epilogues,
// whatever the opset and however the exporter spelled hard-sigmoid, hard-swish, ReLU6 and the
// squeeze. A spelling the compiler does not fold shows here as extra element-wise or activation
// steps that the numeric agreement tests would let by.
import { describe, expect, it } from 'vitest';
import { loadOnnxModel } from '../src/onnx/load-onnx-model.js';
import { compileModel, type CompileOptions } from '../src/runtime/compile-model.js';
import type { ModelPlan, PlanStep } from '../src/runtime/model-plan.js';
import { mobilenetV2 } from '../src/spec/mobilenet-v2.js';
import { mobilenetV3 } from '../src/spec/mobilenet-v3.js';
import { randomWeights } from '../src/weights/random-weights.js';
import { onnxMobileNetV2, onnxMobileNetV3, type OnnxMobileNetOptions } from './support/onnx-mobilenets.js';

const RESOLUTION = 64;
const CLASSES = 10;

/** A convolution's residual epilogue (its second input). */
const residual = (step: PlanStep): string => (step.inputs.length > 1 ? ' + residual' : '');

/** What a step runs: its kind, op and fused activations (not its layer names or weights). */
function stepKind(step: PlanStep): string {
  switch (step.kind) {
    case 'conv':
      return `${step.op} ${step.activation}${residual(step)}`;
    case 'separable':
      return `separable ${step.depthwiseActivation}/${step.activation}${residual(step)}`;
    case 'binary':
      return `${step.op}${step.constant ? ' by a constant' : ''} ${step.activation}`;
    case 'activation':
      return `activation ${step.activation}`;
    case 'globalPool':
    case 'pool':
      return `${step.kind} ${step.type}`;
    default:
      return step.kind;
  }
}

/** The plan's step kinds, counted. */
function stepCounts(plan: ModelPlan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const step of plan.steps) counts[stepKind(step)] = (counts[stepKind(step)] ?? 0) + 1;
  return counts;
}

/** How instantiate compiles for each backend: the CPU's globalPool2d step and residual epilogues, WebGPU's pooling as a full-window depthwise conv. */
const TARGETS: readonly { name: string; options: CompileOptions }[] = [
  {
    name: 'globalPool2d steps, residual adds folded (as for the CPU backend)',
    options: { globalPoolStep: true, residualOps: ['conv2d', 'depthwiseConv2d', 'pointwiseConv2d', 'separableConv2d'] },
  },
  { name: 'global pooling as a depthwise conv, adds as steps (as for WebGPU)', options: { globalPoolStep: false } },
];

function builtInPlan(options: CompileOptions): ModelPlan {
  const spec = mobilenetV3({
    variant: 'large',
    resolution: RESOLUTION,
    classes: CLASSES,
    includePreprocessing: false,
    dropout: 0,
    classifierActivation: 'linear',
  });
  return compileModel(spec, randomWeights(spec, 1), options);
}

function onnxPlan(opset: number, spelling: Pick<OnnxMobileNetOptions, 'hardActivations' | 'squeeze' | 'relu6'>, options: CompileOptions): ModelPlan {
  const bytes = onnxMobileNetV3('large', { opset, alpha: 1, resolution: RESOLUTION, classes: CLASSES, ...spelling });
  const { spec, weights } = loadOnnxModel(bytes);
  return compileModel(spec, weights, options);
}

const EXPORTS: readonly { opset: number; spelling: Pick<OnnxMobileNetOptions, 'hardActivations' | 'squeeze' | 'relu6'>; what: string }[] = [
  { opset: 9, spelling: {}, what: 'Clip bounds as attributes, hard-swish as Mul(x, HardSigmoid(x))' },
  { opset: 13, spelling: {}, what: 'Clip bounds as Constant nodes, hard-swish as Mul(x, HardSigmoid(x))' },
  { opset: 17, spelling: {}, what: 'HardSwish' },
  { opset: 11, spelling: { hardActivations: 'relu6' }, what: 'h_swish as x · relu6(x + 3) / 6 and h_sigmoid as relu6(x + 3) / 6' },
  { opset: 17, spelling: { hardActivations: 'relu6' }, what: 'the relu6 spellings with Clip bounds as Constant nodes' },
  { opset: 13, spelling: { hardActivations: 'relu6', squeeze: 'ReduceMean' }, what: "timm's spellings: the squeeze as ReduceMean (axes attribute)" },
  { opset: 18, spelling: { squeeze: 'ReduceMean' }, what: 'the squeeze as ReduceMean (axes input)' },
  {
    opset: 18,
    spelling: { hardActivations: 'relu6', relu6: 'MinRelu' },
    what: "the relu6 spellings with ReLU6 as Min(Relu(x), 6), the dynamo exporter's",
  },
];

describe.each(TARGETS)('MobileNetV3-Large from ONNX plans as the built-in spec does: $name', ({ options }) => {
  const expected = builtInPlan(options);
  const residuals = options.residualOps !== undefined;

  it('the built-in plan is the fused one this compares against', () => {
    // Every convolution carries its activation; the only element-wise steps are the 8
    // squeeze-and-excitation products and the 10 residual adds (or none, folded), and nothing
    // runs a stand-alone activation.
    const counts = stepCounts(expected);
    const total = (pattern: RegExp) => Object.entries(counts).reduce((sum, [kind, n]) => sum + (pattern.test(kind) ? n : 0), 0);
    expect(total(/^activation/)).toBe(0);
    expect(total(/by a constant/)).toBe(0);
    expect(counts['mul linear']).toBe(8);
    expect(total(/^add /)).toBe(residuals ? 0 : 10);
    expect(total(/residual$/)).toBe(residuals ? 10 : 0);
    expect(total(/^separable/)).toBe(residuals ? 7 : 16);
  });

  it.each(EXPORTS)('opset $opset, $what', ({ opset, spelling }) => {
    const plan = onnxPlan(opset, spelling, options);
    // A relabel moves no data; ONNX flattens before the classifier, the spec after it.
    const { relabel: relabels = 0, ...counts } = stepCounts(plan);
    const { relabel: expectedRelabels = 0, ...expectedCounts } = stepCounts(expected);
    expect(counts).toEqual(expectedCounts);
    expect(relabels).toBeLessThanOrEqual(expectedRelabels);
  });
});

describe.each(TARGETS)('MobileNetV2 from ONNX plans as mobilenetV2() does: $name', ({ options }) => {
  const spec = mobilenetV2({ resolution: RESOLUTION, classes: CLASSES });
  const expected = compileModel(spec, randomWeights(spec, 1), options);

  it.each([
    [10, 'Clip'],
    [17, 'Clip'],
    [18, 'MinRelu'],
  ] as const)("opset %i, ReLU6 as %s (MinRelu: Min(Relu(x), 6), the dynamo exporter's)", (opset, relu6) => {
    const { spec: read, weights } = loadOnnxModel(onnxMobileNetV2({ opset, alpha: 1, resolution: RESOLUTION, classes: CLASSES, relu6 }));
    const plan = compileModel(read, weights, options);
    // The spec ends in a softmax where torchvision's export ends in logits; a relabel moves no
    // data (the export's Flatten before its Gemm is one the spec does not have).
    const { relabel: relabels = 0, ...counts } = stepCounts(plan);
    const { relabel: expectedRelabels = 0, softmax = 0, ...expectedCounts } = stepCounts(expected);
    expect(softmax).toBe(1);
    expect(counts).toEqual(expectedCounts);
    expect(relabels).toBeLessThanOrEqual(expectedRelabels + 1);
  });
});
