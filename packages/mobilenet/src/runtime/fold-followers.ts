import { HostTensor, sizeOf, type Activation, type ConvActivation, type KernelName } from '@sepconv/tensor';
import { ELEMENTWISE_OPS, type BatchNormLayer, type ElementwiseLayer, type GraphLayer, type RescalingLayer } from '@sepconv/graph';
import { foldBatchNorm, type BatchNormParams } from '../weights/fold-batch-norm.js';
import { hardSigmoidLayers, hardSwishLayers } from './hard-swish-pattern.js';
import type { ConvStep, SeparableStep, Slot } from './model-plan.js';
import type { PlanBuilder } from './plan-builder.js';

/**
 * A linear operation (a convolution, a separable convolution, a dense layer) about to become a
 * step. Its output-side filter and bias may still absorb what follows it.
 */
export interface PendingLinear {
  /** The step without its foldable parts; `filter`/`bias`/`activation` below replace them. */
  readonly base:
    | Omit<ConvStep, 'output' | 'filter' | 'bias' | 'activation' | 'layers'>
    | Omit<SeparableStep, 'output' | 'pointwiseFilter' | 'bias' | 'activation' | 'layers'>;
  /** The filter whose innermost axis is the output channel (the pointwise one of a separable). */
  filter: HostTensor;
  bias: Float32Array | undefined;
  readonly outChannels: number;
  activation: Activation;
  /** Spec layers run by the step so far (the op, then what it absorbed). */
  readonly layers: string[];
  readonly physical: readonly number[];
  logical: readonly number[];
  /**
   * What runs after the product as a step of its own and seals it against folding: a dense
   * classifier's softmax, or an activation no kernel epilogue fuses (sigmoid).
   */
  readonly after: 'softmax' | Activation | undefined;
  /** The value a folded residual add adds before the activation (the step's second input). */
  residual?: Slot;
}

/** A batch norm layer's four vectors, read from the weights. */
export function batchNormParams(builder: PlanBuilder, layer: BatchNormLayer, channels: number): BatchNormParams {
  const lw = builder.weights;
  return {
    gamma: layer.scale ? lw.vector(layer.name, 'gamma', channels) : undefined,
    beta: layer.center ? lw.vector(layer.name, 'beta', channels) : undefined,
    movingMean: lw.vector(layer.name, 'moving_mean', channels),
    movingVariance: lw.vector(layer.name, 'moving_variance', channels),
    epsilon: layer.epsilon,
  };
}

function isElementwise(layer: GraphLayer): layer is GraphLayer<ElementwiseLayer> {
  return (ELEMENTWISE_OPS as readonly string[]).includes(layer.type);
}

/**
 * `y ↦ scale · y + offset` per output channel for an element-wise layer with a constant, when
 * that is what it computes: `mul`, `add`, `sub` either way round, `div` by a constant that is
 * finite and not zero. `div` of a constant by `y` is not affine. The constant must be one value
 * or one per channel (`[C]`, `[1, 1, 1, C]`); anything else stays a step of its own.
 */
function affineOf(
  builder: PlanBuilder,
  layer: GraphLayer<ElementwiseLayer>,
  channels: number,
): { scale: Float32Array; offset: Float32Array } | undefined {
  const constant = layer.constant;
  if (constant === undefined) return undefined;
  const perChannel = constant.shape.length > 0 && constant.shape[constant.shape.length - 1] === channels && sizeOf(constant.shape) === channels;
  if (sizeOf(constant.shape) !== 1 && !perChannel) return undefined;
  const first = constant.side === 'left';
  if (layer.type === 'div' && first) return undefined;
  const values = builder.weights.take(layer.name, 'constant', constant.shape).data;
  const at = (c: number): number => values[values.length === 1 ? 0 : c]!;
  if (layer.type === 'div' && !Array.from(values).every((v) => Number.isFinite(v) && v !== 0)) return undefined;
  const scale = new Float32Array(channels);
  const offset = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const k = at(c);
    [scale[c], offset[c]] =
      layer.type === 'mul' ? [k, 0] : layer.type === 'div' ? [1 / k, 0] : layer.type === 'add' ? [1, k] : first ? [-1, k] : [1, -k];
  }
  return { scale, offset };
}

/** Keras's `Rescaling`, `y ↦ scale · y + offset`, per channel. */
function rescalingAffine(layer: RescalingLayer, channels: number): { scale: Float32Array; offset: Float32Array } {
  return { scale: new Float32Array(channels).fill(layer.scale), offset: new Float32Array(channels).fill(layer.offset) };
}

/**
 * The one place that folds what follows a linear operation into it, while the operation's
 * result has a single reader and is no model output: a batch norm (into filter and bias), an
 * element-wise layer with a constant scale or offset or a rescaling (likewise: `scale · (W∗x + b) + offset`
 * is `(scale·W)∗x + (scale·b + offset)`), then an activation the kernels fuse (ReLU, ReLU6,
 * hard-sigmoid, hard-swish: the epilogue), including a hard-sigmoid spelled `relu6(x + 3) / 6`
 * and a hard-swish spelled `x · hardSigmoid(x)` or `x · relu6(x + 3) / 6` (see
 * {@link hardSigmoidLayers}, {@link hardSwishLayers}). Each fold
 * happens only while the pending activation is linear, since a scale does not commute with it.
 *
 * Why only what FOLLOWS: a scale after a convolution is exact whatever the padding, because it
 * multiplies the convolution's output. A constant BEFORE a convolution (a model's input
 * `Mul`/`Sub`) is not folded: an offset there would also shift the zeros a padded convolution
 * adds at the border, so folding it into the bias would change every border pixel. It runs as
 * an element-wise step instead.
 */
export function foldFollowers(builder: PlanBuilder, pending: PendingLinear): void {
  if (pending.after !== undefined) return;
  for (;;) {
    const tail = pending.layers[pending.layers.length - 1]!;
    if (pending.activation !== 'linear') return;
    const next = builder.soleReader(tail);
    if (next === undefined) {
      if (pending.residual === undefined && foldResidual(builder, pending, tail)) continue;
      foldHardSwish(builder, pending, tail);
      return;
    }
    // A hard-sigmoid spelled as three layers is an activation, which folds after a residual too.
    if (foldHardSigmoid(builder, pending, tail)) return;
    // After a residual only an activation folds: a scale or offset would apply to the residual too.
    if (pending.residual !== undefined && next.type !== 'activation') return;
    if (next.type === 'batchNorm') {
      applyAffine(pending, next.name, batchNormParams(builder, next, pending.outChannels));
    } else if (next.type === 'activation' && builder.epilogues.includes(next.activation as ConvActivation)) {
      pending.activation = next.activation as ConvActivation;
    } else if (isElementwise(next) || next.type === 'rescaling') {
      const affine = next.type === 'rescaling' ? rescalingAffine(next, pending.outChannels) : affineOf(builder, next, pending.outChannels);
      if (affine === undefined) return;
      applyAffine(pending, next.name, {
        gamma: affine.scale,
        beta: affine.offset,
        movingMean: new Float32Array(pending.outChannels),
        movingVariance: new Float32Array(pending.outChannels).fill(1),
        epsilon: 0,
      });
    } else {
      return;
    }
    pending.layers.push(next.name);
    pending.logical = next.outputShape;
    builder.absorbed.add(next.name);
  }
}

/** The op a pending linear operation runs as (a separable spec layer, or one convolution). */
function pendingOp(pending: PendingLinear): KernelName {
  return pending.base.kind === 'conv' ? pending.base.op : 'separableConv2d';
}

/**
 * Takes the residual `add` that alone reads tensor `tail` (MobileNetV2/V3's `project → add`, an
 * ONNX `Add`) as the pending operation's `options.residual` where the backend's kernel for it
 * takes one; its activation is still linear here, so `add` then activation is the epilogue's
 * order (bias, residual, activation). Returns whether it folded.
 */
function foldResidual(builder: PlanBuilder, pending: PendingLinear, tail: string): boolean {
  if (!builder.residualOps.includes(pendingOp(pending))) return false;
  const found = builder.residualReader(tail, pending.physical);
  if (found === undefined) return false;
  pending.residual = found.residual;
  pending.layers.push(found.add.name);
  pending.logical = found.add.outputShape;
  builder.absorbed.add(found.add.name);
  return true;
}

/** Takes `x · hardSigmoid(x)` spelled as several layers after tensor `tail` as the pending operation's hard-swish epilogue. */
function foldHardSwish(builder: PlanBuilder, pending: PendingLinear, tail: string): void {
  if (!builder.epilogues.includes('hardSwish')) return;
  const layers = hardSwishLayers(builder, tail);
  if (layers !== undefined) absorb(builder, pending, 'hardSwish', layers);
}

/** Makes `layers` (an activation spelled as several) the pending operation's epilogue `activation`. */
function absorb(builder: PlanBuilder, pending: PendingLinear, activation: ConvActivation, layers: readonly GraphLayer[]): void {
  pending.activation = activation;
  for (const layer of layers) {
    pending.layers.push(layer.name);
    builder.absorbed.add(layer.name);
  }
  pending.logical = layers[layers.length - 1]!.outputShape;
}

/**
 * Takes `relu6(x + 3) / 6` spelled as three layers after tensor `tail` as the pending
 * operation's hard-sigmoid epilogue, before the add alone would fold into the bias and leave the
 * ReLU6 and the scale behind it.
 */
function foldHardSigmoid(builder: PlanBuilder, pending: PendingLinear, tail: string): boolean {
  if (!builder.epilogues.includes('hardSigmoid')) return false;
  const layers = hardSigmoidLayers(builder, tail);
  if (layers === undefined) return false;
  absorb(builder, pending, 'hardSigmoid', layers);
  return true;
}

/** Folds a per-channel affine map (batch-norm form) into the pending filter and bias. */
function applyAffine(pending: PendingLinear, layer: string, params: BatchNormParams): void {
  const folded = foldBatchNorm(layer, pending.filter, pending.bias, pending.outChannels, params);
  pending.filter = folded.filter;
  pending.bias = folded.bias.data;
}

/** Emits a pending linear operation as its step (and a softmax step after a softmax classifier). */
export function emitLinear(builder: PlanBuilder, pending: PendingLinear): void {
  const bias = pending.bias === undefined ? undefined : new HostTensor(pending.bias, [pending.outChannels]);
  const inputs = pending.residual === undefined ? pending.base.inputs : [...pending.base.inputs, pending.residual];
  const common = { inputs, activation: pending.activation, layers: pending.layers, ...(bias ? { bias } : {}) };
  const step =
    pending.base.kind === 'conv'
      ? { ...pending.base, filter: pending.filter, ...common }
      : { ...pending.base, pointwiseFilter: pending.filter, ...common };
  const shape = { logical: pending.logical, physical: pending.physical };
  const output = builder.emit(step, shape, pending.after === undefined ? pending.layers : []);
  const layers = [pending.layers[0]!];
  if (pending.after === 'softmax') builder.emit({ kind: 'softmax', inputs: [output], layers }, shape);
  else if (pending.after !== undefined) builder.emit({ kind: 'activation', activation: pending.after, inputs: [output], layers }, shape);
}
