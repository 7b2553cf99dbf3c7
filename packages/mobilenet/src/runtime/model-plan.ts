import type { Activation, HostTensor, Padding, Tensor } from '@sepconv/tensor';

/** Index of a value (an activation) in a {@link ModelPlan}; 0 is the model input. */
export type Slot = number;

/** A value's shapes: what the spec says, and the NHWC tensor the backend holds for it. */
export interface SlotShape {
  /** The layer spec's output shape (e.g. `[batch, classes]` after a reshape). */
  readonly logical: readonly number[];
  /**
   * The rank-4 NHWC shape of the tensor that holds it, batch left as in the spec. Differs from
   * `logical` after flatten/reshape/global pooling, which relabel data without moving it.
   */
  readonly physical: readonly [number, number, number, number];
}

/** Fields every step has. */
interface StepBase {
  /** The spec layers this step runs, in order (a conv, its folded batch norm, its activation…). */
  readonly layers: readonly string[];
  readonly output: Slot;
}

/** One backend convolution with bias and activation fused. Filters are host tensors (uploaded once where the backend can). */
export interface ConvStep extends StepBase {
  readonly kind: 'conv';
  readonly op: 'conv2d' | 'depthwiseConv2d' | 'pointwiseConv2d';
  readonly input: Slot;
  readonly filter: HostTensor;
  readonly bias?: HostTensor | undefined;
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly padding: Padding;
  readonly activation: Activation;
}

/** A depthwise then pointwise convolution run as the backend's fused separable kernel. */
export interface SeparableStep extends StepBase {
  readonly kind: 'separable';
  readonly input: Slot;
  readonly depthwiseFilter: HostTensor;
  readonly pointwiseFilter: HostTensor;
  readonly depthwiseBias?: HostTensor | undefined;
  readonly bias?: HostTensor | undefined;
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly padding: Padding;
  readonly depthwiseActivation: Activation;
  readonly activation: Activation;
}

/** A residual add: on the device through `backend.add`, else on the host. */
export interface AddStep extends StepBase {
  readonly kind: 'add';
  readonly inputs: readonly [Slot, Slot];
  readonly activation: Activation;
}

/** Softmax over the last logical axis (the end of a classifier): `backend.softmax` where declared, else on the host. */
export interface SoftmaxStep extends StepBase {
  readonly kind: 'softmax';
  readonly input: Slot;
}

/** Gives a value a new logical shape without moving data (flatten, reshape, dropout). */
export interface RelabelStep extends StepBase {
  readonly kind: 'relabel';
  readonly input: Slot;
}

/** One executable step of a compiled model. */
export type PlanStep = ConvStep | SeparableStep | AddStep | SoftmaxStep | RelabelStep;

/** A model spec compiled against weights: fused, folded steps over numbered values. */
export interface ModelPlan {
  readonly steps: readonly PlanStep[];
  readonly slots: readonly SlotShape[];
  readonly output: Slot;
}

/** The tensors a step reads. */
export function stepInputs(step: PlanStep): readonly Slot[] {
  return step.kind === 'add' ? step.inputs : [step.input];
}

/** The host tensors (weights) a step holds. */
export function stepWeights(step: PlanStep): HostTensor[] {
  const weights: (HostTensor | undefined)[] =
    step.kind === 'conv' ? [step.filter, step.bias] : step.kind === 'separable' ? [step.depthwiseFilter, step.pointwiseFilter, step.depthwiseBias, step.bias] : [];
  return weights.filter((w): w is HostTensor => w !== undefined);
}

/** What a caller may keep of a tensor the plan produced: the backend's tensor and its logical shape. */
export interface PlanValue {
  readonly tensor: Tensor;
  readonly shape: readonly number[];
}
