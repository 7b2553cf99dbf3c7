// A MobileNetV3-Large read from ONNX in torchvision's layout compiles to the plan of sepconv's
// own mobilenetV3() (same architecture at width 1.0, no input rescaling, logits): the same steps
// of the same kinds, convolutions with the same fused epilogues, whatever the opset and however
// the exporter spelled hard-sigmoid and hard-swish. A spelling the compiler does not fold shows
// here as extra element-wise or activation steps that the numeric agreement tests would let by.
import { describe, expect, it } from 'vitest';
import { loadOnnxModel } from '../src/onnx/load-onnx-model.js';
import { compileModel } from '../src/runtime/compile-model.js';
import type { ModelPlan, PlanStep } from '../src/runtime/model-plan.js';
import { mobilenetV3 } from '../src/spec/mobilenet-v3.js';
import { randomWeights } from '../src/weights/random-weights.js';
import { onnxMobileNetV3, type HardActivationSpelling } from './support/onnx-mobilenets.js';

const RESOLUTION = 64;
const CLASSES = 10;

/** What a step runs: its kind, op and fused activations (not its layer names or weights). */
function stepKind(step: PlanStep): string {
  switch (step.kind) {
    case 'conv':
      return `${step.op} ${step.activation}`;
    case 'separable':
      return `separable ${step.depthwiseActivation}/${step.activation}`;
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

/** Both lowerings of global average pooling: the CPU's globalPool2d step and the full-window depthwise conv. */
const POOLING = [true, false] as const;

function builtInPlan(globalPoolStep: boolean): ModelPlan {
  const spec = mobilenetV3({
    variant: 'large',
    resolution: RESOLUTION,
    classes: CLASSES,
    includePreprocessing: false,
    dropout: 0,
    classifierActivation: 'linear',
  });
  return compileModel(spec, randomWeights(spec, 1), { globalPoolStep });
}

function onnxPlan(opset: number, hardActivations: HardActivationSpelling, globalPoolStep: boolean): ModelPlan {
  const bytes = onnxMobileNetV3('large', { opset, alpha: 1, resolution: RESOLUTION, classes: CLASSES, hardActivations });
  const { spec, weights } = loadOnnxModel(bytes);
  return compileModel(spec, weights, { globalPoolStep });
}

const EXPORTS: readonly { opset: number; hardActivations: HardActivationSpelling; what: string }[] = [
  { opset: 9, hardActivations: 'torchvision', what: 'Clip bounds as attributes, hard-swish as Mul(x, HardSigmoid(x))' },
  { opset: 13, hardActivations: 'torchvision', what: 'Clip bounds as Constant nodes, hard-swish as Mul(x, HardSigmoid(x))' },
  { opset: 17, hardActivations: 'torchvision', what: 'HardSwish' },
  { opset: 11, hardActivations: 'relu6', what: 'h_swish as x · relu6(x + 3) / 6 and h_sigmoid as relu6(x + 3) / 6' },
  { opset: 17, hardActivations: 'relu6', what: 'the relu6 spellings with Clip bounds as Constant nodes' },
];

describe.each(POOLING)('MobileNetV3-Large from ONNX plans as the built-in spec does (globalPoolStep %s)', (globalPoolStep) => {
  const expected = builtInPlan(globalPoolStep);

  it('the built-in plan is the fused one this compares against', () => {
    // Every convolution carries its activation; the only element-wise steps are the 10 residual
    // adds and the 8 squeeze-and-excitation products, and nothing runs a stand-alone activation.
    const counts = stepCounts(expected);
    expect(Object.keys(counts).filter((kind) => kind.startsWith('activation'))).toEqual([]);
    expect(counts['mul linear']).toBe(8);
    expect(Object.keys(counts).some((kind) => kind.includes('by a constant'))).toBe(false);
    expect(counts['separable relu/linear']! + counts['separable hardSwish/linear']!).toBe(7);
  });

  it.each(EXPORTS)('opset $opset, $what', ({ opset, hardActivations }) => {
    const plan = onnxPlan(opset, hardActivations, globalPoolStep);
    // A relabel moves no data; ONNX flattens before the classifier, the spec after it.
    const { relabel: relabels = 0, ...counts } = stepCounts(plan);
    const { relabel: expectedRelabels = 0, ...expectedCounts } = stepCounts(expected);
    expect(counts).toEqual(expectedCounts);
    expect(relabels).toBeLessThanOrEqual(expectedRelabels);
  });
});
