import type { ElementwiseOp } from '@sepconv/graph';
import type { Activation, ExplicitPadding, HostTensor, Padding, PoolType, Tensor } from '@sepconv/tensor';

/** Index of a value (an activation) in a {@link ModelPlan}; the model inputs come first. */
export type Slot = number;

/** A value's shapes: what the spec says, and the tensor the backend holds for it. */
export interface SlotShape {
  /** The layer spec's output shape (e.g. `[batch, classes]` after a reshape). */
  readonly logical: readonly number[];
  /**
   * The shape of the tensor that holds it, batch left as in the spec: rank-4 NHWC for image
   * values. Differs from `logical` after flatten/reshape/global pooling without `keepDims`,
   * which relabel data without moving it.
   */
  readonly physical: readonly number[];
}

/** Fields every step has. */
interface StepBase {
  /** The spec layers this step runs, in order (a conv, its folded batch norm, its activation…). */
  readonly layers: readonly string[];
  /** The values it reads, in the backend op's argument order. */
  readonly inputs: readonly Slot[];
  readonly output: Slot;
}

/**
 * One backend convolution with bias and activation fused. Filters are host tensors (uploaded
 * once where the backend can). `inputs` is `[x]`, or `[x, residual]` when a residual add was
 * folded in (`options.residual`: added after the bias, before the activation).
 */
export interface ConvStep extends StepBase {
  readonly kind: 'conv';
  readonly op: 'conv2d' | 'depthwiseConv2d' | 'pointwiseConv2d';
  readonly filter: HostTensor;
  readonly bias?: HostTensor | undefined;
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly padding: Padding;
  readonly activation: Activation;
  /** The kernel variant tuning chose (`options.variant` of the call); absent: the backend's dispatch. */
  readonly variant?: string | undefined;
}

/**
 * The plan-level candidate of a separable step that runs it as two calls (depthwise, then
 * pointwise, each on the backend's dispatch) instead of the backend's separable kernel: what
 * tuning picks where the fused kernel does not pay on a device.
 */
export const UNFUSED_VARIANT = 'unfused';

/** A depthwise then pointwise convolution run as the backend's fused separable kernel; `inputs` as {@link ConvStep}'s. */
export interface SeparableStep extends StepBase {
  readonly kind: 'separable';
  readonly depthwiseFilter: HostTensor;
  readonly pointwiseFilter: HostTensor;
  readonly depthwiseBias?: HostTensor | undefined;
  readonly bias?: HostTensor | undefined;
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly padding: Padding;
  readonly depthwiseActivation: Activation;
  readonly activation: Activation;
  /** The separable variant tuning chose, or {@link UNFUSED_VARIANT}; absent: the backend's dispatch. */
  readonly variant?: string | undefined;
}

/**
 * Element-wise `a op b` with broadcasting (`backend.add`/`sub`/`mul`/`div`): two values, or one
 * value and a constant (`constant op x` when `constantFirst`).
 */
export interface BinaryStep extends StepBase {
  readonly kind: 'binary';
  readonly op: ElementwiseOp;
  readonly constant?: HostTensor;
  readonly constantFirst: boolean;
  readonly activation: Activation;
}

/** A stand-alone element-wise activation (`backend.activation`). */
export interface ActivationStep extends StepBase {
  readonly kind: 'activation';
  readonly activation: Activation;
}

/** Softmax over the last logical axis (the end of a classifier). */
export interface SoftmaxStep extends StepBase {
  readonly kind: 'softmax';
}

/** Concatenation along one physical axis (`backend.concat`). */
export interface ConcatStep extends StepBase {
  readonly kind: 'concat';
  readonly axis: number;
}

/** Constant spatial padding (`backend.pad`). */
export interface PadStep extends StepBase {
  readonly kind: 'pad';
  readonly padding: ExplicitPadding;
  readonly value: number;
}

/** Windowed average or max pooling (`backend.pool2d`). */
export interface PoolStep extends StepBase {
  readonly kind: 'pool';
  readonly type: PoolType;
  readonly kernelSize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: Padding;
}

/** Average or max over height and width to `[batch, 1, 1, channels]` (`backend.globalPool2d`). */
export interface GlobalPoolStep extends StepBase {
  readonly kind: 'globalPool';
  readonly type: PoolType;
}

/** Bilinear resize (`backend.resizeBilinear`). */
export interface ResizeStep extends StepBase {
  readonly kind: 'resize';
  readonly size: readonly [number, number];
  readonly alignCorners: boolean;
  readonly halfPixelCenters: boolean;
}

/** Gives a value a new logical shape without moving data (flatten, reshape, dropout). */
export interface RelabelStep extends StepBase {
  readonly kind: 'relabel';
}

/** One executable step of a compiled model. */
export type PlanStep =
  ConvStep | SeparableStep | BinaryStep | ActivationStep | SoftmaxStep | ConcatStep | PadStep | PoolStep | GlobalPoolStep | ResizeStep | RelabelStep;

/** The `kind` of each step. */
export type StepKind = PlanStep['kind'];

/** A named value at the edge of the plan: a model input or output. */
export interface PlanPort {
  readonly name: string;
  readonly slot: Slot;
}

/** A model spec compiled against weights: fused, folded steps over numbered values. */
export interface ModelPlan {
  readonly steps: readonly PlanStep[];
  readonly slots: readonly SlotShape[];
  /** The model inputs, in the spec's order (slots 0, 1, …). */
  readonly inputs: readonly PlanPort[];
  /** The model outputs, in the spec's order; two outputs may share a slot. */
  readonly outputs: readonly PlanPort[];
  /**
   * Liveness, planned once: after step `i`, the values in `frees[i]` have no later reader and
   * are not outputs, so the runtime disposes them there.
   */
  readonly frees: readonly (readonly Slot[])[];
}

/** The host tensors (weights and constants) a step holds. */
export function stepWeights(step: PlanStep): HostTensor[] {
  const weights: (HostTensor | undefined)[] =
    step.kind === 'conv'
      ? [step.filter, step.bias]
      : step.kind === 'separable'
        ? [step.depthwiseFilter, step.pointwiseFilter, step.depthwiseBias, step.bias]
        : step.kind === 'binary'
          ? [step.constant]
          : [];
  return weights.filter((w): w is HostTensor => w !== undefined);
}

/**
 * For each step, the values whose last reader it is (model inputs and outputs excluded: the
 * caller owns the first, receives the second).
 */
export function planFrees(steps: readonly PlanStep[], inputs: readonly PlanPort[], outputs: readonly PlanPort[]): Slot[][] {
  const kept = new Set([...inputs, ...outputs].map((port) => port.slot));
  const lastUse = new Map<Slot, number>();
  steps.forEach((step, index) => {
    for (const slot of step.inputs) lastUse.set(slot, index);
  });
  const frees = steps.map((): Slot[] => []);
  for (const [slot, index] of lastUse) if (!kept.has(slot)) frees[index]!.push(slot);
  // A value nobody reads (a layer that feeds no output) is freed as soon as it is made.
  steps.forEach((step, index) => {
    if (!lastUse.has(step.output) && !kept.has(step.output)) frees[index]!.push(step.output);
  });
  return frees;
}

/** What a caller may keep of a tensor the plan produced: the backend's tensor and its logical shape. */
export interface PlanValue {
  readonly tensor: Tensor;
  readonly shape: readonly number[];
}
