import type { Activation, ConvActivation } from '@sepconv/tensor';
import type { GraphLayer } from '@sepconv/graph';
import type { PlanStep, StepKind } from '../runtime/model-plan.js';

/**
 * The activations an int8 kernel applies as a clamp of its output (TensorFlow Lite's fused
 * activations): the epilogues an int8 compile folds (`compileModel`'s `epilogues`).
 */
export const INT8_EPILOGUES: readonly ConvActivation[] = ['linear', 'relu', 'relu6'];

const CLAMPS: ReadonlySet<Activation> = new Set<Activation>(INT8_EPILOGUES);

/** The element-wise ops with an int8 kernel (TensorFlow Lite's ADD and MUL), of two values or a value and a constant. */
const INT8_BINARY_OPS: ReadonlySet<string> = new Set(['add', 'mul']);

type StepOf<K extends StepKind> = Extract<PlanStep, { kind: K }>;

/**
 * Why a step of each kind cannot run in int8, or undefined when it can. The one rule both
 * `quantizeModel` (which lists the float layers) and the quantized runtime read.
 * `satisfies`: a step kind added to the plan without a row here is a compile error.
 */
const INT8_RULES = {
  conv: (step: StepOf<'conv'>) => (CLAMPS.has(step.activation) ? undefined : `activation '${step.activation}' is not a clamp`),
  separable: () => 'a separable layer has no observed intermediate to quantize (split it into depthwise and pointwise layers)',
  binary: (step: StepOf<'binary'>) =>
    !INT8_BINARY_OPS.has(step.op)
      ? `element-wise '${step.op}' has no int8 kernel`
      : CLAMPS.has(step.activation)
        ? undefined
        : `activation '${step.activation}' is not a clamp`,
  // Any activation of an int8 value is a 256-entry table (quantizedLookup).
  activation: () => undefined,
  softmax: () => 'softmax runs in float on the dequantized logits',
  concat: () => undefined,
  pad: (step: StepOf<'pad'>) => (step.value === 0 ? undefined : `a pad with ${step.value} (not 0) has no int8 kernel`),
  pool: () => undefined,
  globalPool: () => undefined,
  resize: () => 'bilinear resize has no int8 kernel',
  relabel: () => undefined,
} satisfies { [K in StepKind]: (step: StepOf<K>) => string | undefined };

/**
 * The layer kinds whose int8 result keeps its input's quantization (TensorFlow Lite's rule for
 * pooling and padding: no rescaling happens), so calibration gives them their input's parameters.
 * An unpadded average pool is not among them: it runs as a depthwise convolution, which rescales.
 */
export function keepsInputQuantization(layer: GraphLayer): boolean {
  if (layer.type === 'reshape' || layer.type === 'dropout' || layer.type === 'pad') return true;
  if (layer.type !== 'pool') return false;
  const unpadded = layer.padding === 'valid' || (typeof layer.padding === 'object' && Object.values(layer.padding).every((amount) => amount === 0));
  return layer.mode === 'max' || !(layer.global || unpadded);
}

/** Why `step` runs in float in a quantized model, or undefined when it runs in int8. */
export function int8Unsupported(step: PlanStep): string | undefined {
  return (INT8_RULES[step.kind] as (step: PlanStep) => string | undefined)(step);
}
