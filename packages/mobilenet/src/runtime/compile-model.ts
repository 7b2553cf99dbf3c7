import { ChannelScaledTensor, HostTensor, type ConvActivation, type KernelName } from '@sepconv/tensor';
import type { GraphLayer, LayerType, ModelSpec } from '@sepconv/graph';
import type { WeightMap } from '../weights/weight-map.js';
import { LOWERINGS } from './lowerings.js';
import { planFrees, type ModelPlan, type PlanStep, type SeparableStep, type Slot } from './model-plan.js';
import { PlanBuilder } from './plan-builder.js';

/** Options of {@link compileModel}. */
export interface CompileOptions {
  /** Run each depthwise conv followed by a pointwise conv as one fused separable kernel. Default true. */
  fuseSeparable?: boolean | undefined;
  /**
   * Run global average pooling as a `globalPool` step (the backend's `globalPool2d`) rather than
   * as a full-window depthwise convolution with a constant filter. Default false: the
   * convolution runs on every backend and fuses with the pointwise conv after it.
   */
  globalPoolStep?: boolean | undefined;
  /**
   * The activations folded into the convolution (or dense layer) before them as its epilogue.
   * Default: every `ConvActivation` (the clamps, hard-sigmoid, hard-swish). An int8 compile
   * passes the clamps alone, which requantization applies, so a hard-swish stays a float step
   * of its own rather than taking its convolution out of int8.
   */
  epilogues?: readonly ConvActivation[] | undefined;
  /**
   * The convolutions that take `options.residual` on the target backend (its
   * `Backend.residualOps`): a residual `add` that alone reads such a convolution's output is
   * folded into it (added after the bias, before the activation), saving a pass over the
   * activations. Default none: every add stays a step. An int8 compile passes none, so its
   * residual adds stay int8 steps.
   */
  residualOps?: readonly KernelName[] | undefined;
}

/**
 * Compiles a model spec (any DAG of its layer kinds) and its weights into executable steps.
 * Each layer kind has a lowering (`LOWERINGS`); one place (`foldFollowers`) folds into a linear
 * operation the batch norm, constant scale/offset and ReLU/ReLU6 that alone read its output;
 * depthwise→pointwise pairs become the separable kernel; unpadded average pooling becomes a
 * depthwise convolution with a constant filter and dense layers 1×1 (or, after a flatten,
 * full-window) convolutions, so they fuse and stay on the backend. Element-wise operations,
 * activations, concat, pad, pooling, resize and softmax are steps of their own, each a backend
 * capability. The liveness of every value is planned here: `plan.frees[i]` lists what step `i`
 * reads for the last time.
 * @throws ValueError / ShapeError naming the layer and weight at fault; UnsupportedError naming
 * the layer when a value's layout cannot feed it.
 */
export function compileModel(spec: ModelSpec, weights: WeightMap, options: CompileOptions = {}): ModelPlan {
  const builder = new PlanBuilder(spec, weights, options.epilogues, options.globalPoolStep, options.residualOps);
  for (const layer of spec.layers) {
    if (builder.absorbed.has(layer.name)) continue;
    (LOWERINGS[layer.type] as (builder: PlanBuilder, layer: GraphLayer) => void)(builder, layer);
  }
  builder.weights.assertAllUsed();
  const outputs = builder.outputPorts();
  const outputSlots = new Set(outputs.map((port) => port.slot));
  const steps = options.fuseSeparable === false ? builder.steps : fuseSeparable(builder.steps, outputSlots, builder.residualOps);
  return { steps, slots: builder.slots, inputs: builder.inputs, outputs, frees: planFrees(steps, builder.inputs, outputs) };
}

/** The layer kinds `compileModel` lowers (all of them). */
export const LOWERED_KINDS = Object.keys(LOWERINGS) as LayerType[];

/** `filter`'s elements as `shape`; a folded filter stays unscaled until read (see `ChannelScaledTensor`). */
function reshaped(filter: HostTensor, shape: readonly number[]): HostTensor {
  return filter instanceof ChannelScaledTensor ? filter.reshape(shape) : new HostTensor(filter.data, shape);
}

/** How many steps read each slot. */
function useCounts(steps: readonly PlanStep[]): Map<Slot, number> {
  const uses = new Map<Slot, number>();
  for (const step of steps) for (const slot of step.inputs) uses.set(slot, (uses.get(slot) ?? 0) + 1);
  return uses;
}

/**
 * The relabel step at `index` when it alone reads `slot` and alone is read (by the next step):
 * a flatten between a pooled vector and the classifier, which moves no data.
 */
function soleRelabel(steps: readonly PlanStep[], index: number, slot: Slot, uses: ReadonlyMap<Slot, number>, outputs: ReadonlySet<Slot>) {
  const step = steps[index];
  const single = (s: Slot): boolean => uses.get(s) === 1 && !outputs.has(s);
  return step?.kind === 'relabel' && step.inputs[0] === slot && single(slot) && single(step.output) ? step : undefined;
}

/**
 * Merges each depthwise step and the pointwise step that alone reads its output into one
 * separable step, so a backend's fused kernel keeps the intermediate out of memory; a pointwise
 * step with a residual (its second input) only where the backend's separable kernel takes one.
 * A relabel between them (ONNX's `Flatten` of a pooled vector before its `Gemm`) is merged too.
 */
function fuseSeparable(steps: readonly PlanStep[], outputs: ReadonlySet<Slot>, residualOps: readonly KernelName[]): PlanStep[] {
  const uses = useCounts(steps);
  const fused: PlanStep[] = [];
  for (let i = 0; i < steps.length; i++) {
    const depthwise = steps[i]!;
    const relabel = soleRelabel(steps, i + 1, depthwise.output, uses, outputs);
    const pointwise = steps[relabel ? i + 2 : i + 1];
    if (
      depthwise.kind === 'conv' &&
      depthwise.op === 'depthwiseConv2d' &&
      pointwise?.kind === 'conv' &&
      pointwise.op === 'pointwiseConv2d' &&
      pointwise.inputs[0] === (relabel ?? depthwise).output &&
      uses.get(depthwise.output) === 1 &&
      !outputs.has(depthwise.output) &&
      (pointwise.inputs.length === 1 || residualOps.includes('separableConv2d'))
    ) {
      const [, , channels, multiplier] = depthwise.filter.shape as [number, number, number, number];
      const outChannels = pointwise.filter.shape[pointwise.filter.shape.length - 1]!;
      const step: SeparableStep = {
        kind: 'separable',
        // The pointwise step's residual, if any, stays the second input.
        inputs: [...depthwise.inputs, ...pointwise.inputs.slice(1)],
        output: pointwise.output,
        layers: [...depthwise.layers, ...(relabel?.layers ?? []), ...pointwise.layers],
        depthwiseFilter: depthwise.filter,
        pointwiseFilter: pointwise.filter.shape.length === 2 ? pointwise.filter : reshaped(pointwise.filter, [channels * multiplier, outChannels]),
        ...(depthwise.bias ? { depthwiseBias: depthwise.bias } : {}),
        ...(pointwise.bias ? { bias: pointwise.bias } : {}),
        strides: depthwise.strides,
        dilations: depthwise.dilations,
        padding: depthwise.padding,
        depthwiseActivation: depthwise.activation,
        activation: pointwise.activation,
      };
      fused.push(step);
      i += relabel ? 2 : 1;
      continue;
    }
    fused.push(depthwise);
  }
  return fused;
}
