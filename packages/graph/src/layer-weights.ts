import { describeValue, ValueError } from '@sepconv/tensor';
import type { LayerSpec, LayerType } from './layer-spec.js';

/**
 * What a weight is for. The role decides how it is counted (`kernel` is the papers' weight
 * count; the moving statistics are Keras's non-trainable parameters) and how random weights
 * draw it.
 */
export type WeightRole = 'kernel' | 'bias' | 'gamma' | 'beta' | 'movingMean' | 'movingVariance' | 'constant';

/** One weight of a layer: the single description that random weights, weight loading and the cost model read. */
export interface WeightSpec {
  /**
   * Keras's name within the layer (`kernel`, `depthwise_kernel`, `pointwise_kernel`, `bias`,
   * `depthwise_bias`, `gamma`, `beta`, `moving_mean`, `moving_variance`); a weight map keys it
   * `<layer name>/<name>`.
   */
  readonly name: string;
  /**
   * sepconv's layout: conv `[kernelHeight, kernelWidth, inChannels, outChannels]`, depthwise
   * `[kernelHeight, kernelWidth, inChannels, channelMultiplier]`, pointwise and dense
   * `[inChannels, outChannels]`, vectors `[channels]`.
   */
  readonly shape: readonly number[];
  /**
   * Other shapes with the same element order that loading accepts and reshapes to `shape`: a
   * pointwise kernel saved by Keras as a 1×1 `Conv2D` is `[1, 1, inChannels, outChannels]`.
   */
  readonly equivalentShapes: readonly (readonly number[])[];
  readonly role: WeightRole;
  /**
   * False for batch norm's moving statistics, as Keras counts them, and for an element-wise
   * layer's constant operand (a fixed scale or offset such as TF-Hub's input `Mul`/`Sub`).
   */
  readonly trainable: boolean;
  /** For a kernel, the inputs each output sums over (He initialisation's fan-in); 0 otherwise. */
  readonly fanIn: number;
}

/** The channels of a layer's (first) input: the last axis. */
function inChannels(layer: LayerSpec): number {
  return layer.inputShape[layer.inputShape.length - 1]!;
}

function weight(
  name: string,
  role: WeightRole,
  shape: readonly number[],
  fanIn = 0,
  equivalentShapes: readonly (readonly number[])[] = [],
): WeightSpec {
  return { name, shape, equivalentShapes, role, trainable: role !== 'movingMean' && role !== 'movingVariance' && role !== 'constant', fanIn };
}

function bias(present: boolean, length: number, name = 'bias'): WeightSpec[] {
  return present ? [weight(name, 'bias', [length])] : [];
}

type WeightsOf = { readonly [T in LayerType]: (layer: Extract<LayerSpec, { readonly type: T }>) => WeightSpec[] };

const NONE = (): WeightSpec[] => [];

/** An element-wise layer's weight: its constant operand, when it has one. */
const CONSTANT = (layer: { readonly constant?: { readonly shape: readonly number[] } }): WeightSpec[] =>
  layer.constant === undefined ? [] : [weight('constant', 'constant', layer.constant.shape)];

/**
 * Each kind's weights, in Keras's order (which is also the order random weights draws them).
 * `satisfies`: a kind added to `LayerSpec` without an entry here is a compile error.
 */
const WEIGHTS_OF = {
  conv2d: (layer) => {
    const [kernelHeight, kernelWidth] = layer.kernelSize;
    const fanIn = kernelHeight * kernelWidth * inChannels(layer);
    return [
      weight('kernel', 'kernel', [kernelHeight, kernelWidth, inChannels(layer), layer.outChannels], fanIn),
      ...bias(layer.useBias, layer.outChannels),
    ];
  },
  depthwiseConv2d: (layer) => {
    const [kernelHeight, kernelWidth] = layer.kernelSize;
    const channels = inChannels(layer);
    return [
      weight('depthwise_kernel', 'kernel', [kernelHeight, kernelWidth, channels, layer.channelMultiplier], kernelHeight * kernelWidth),
      ...bias(layer.useBias, channels * layer.channelMultiplier),
    ];
  },
  pointwiseConv2d: (layer) => {
    const channels = inChannels(layer);
    return [
      weight('kernel', 'kernel', [channels, layer.outChannels], channels, [[1, 1, channels, layer.outChannels]]),
      ...bias(layer.useBias, layer.outChannels),
    ];
  },
  separableConv2d: (layer) => {
    const [kernelHeight, kernelWidth] = layer.kernelSize;
    const channels = inChannels(layer);
    const mid = channels * layer.channelMultiplier;
    return [
      weight('depthwise_kernel', 'kernel', [kernelHeight, kernelWidth, channels, layer.channelMultiplier], kernelHeight * kernelWidth),
      weight('pointwise_kernel', 'kernel', [mid, layer.outChannels], mid, [[1, 1, mid, layer.outChannels]]),
      ...bias(layer.depthwiseUseBias, mid, 'depthwise_bias'),
      ...bias(layer.useBias, layer.outChannels),
    ];
  },
  dense: (layer) => {
    const features = inChannels(layer);
    return [weight('kernel', 'kernel', [features, layer.units], features), ...bias(layer.useBias, layer.units)];
  },
  batchNorm: (layer) => {
    const channels = [inChannels(layer)];
    return [
      ...(layer.scale ? [weight('gamma', 'gamma', channels)] : []),
      ...(layer.center ? [weight('beta', 'beta', channels)] : []),
      weight('moving_mean', 'movingMean', channels),
      weight('moving_variance', 'movingVariance', channels),
    ];
  },
  activation: NONE,
  pool: NONE,
  add: CONSTANT,
  sub: CONSTANT,
  mul: CONSTANT,
  div: CONSTANT,
  concat: NONE,
  pad: NONE,
  resizeBilinear: NONE,
  rescaling: NONE,
  dropout: NONE,
  reshape: NONE,
} satisfies WeightsOf;

/**
 * The weights a layer has, with their shapes, in Keras's order: e.g. a `conv2d` with a bias
 * has `kernel [kh, kw, Cin, Cout]` then `bias [Cout]`; a `batchNorm` has `gamma`, `beta`
 * (each when enabled), `moving_mean`, `moving_variance`; an element-wise layer with a constant
 * operand has `constant` (its shape); activations, pooling, two-tensor element-wise layers,
 * concat, pad, resize, dropout and reshapes have none. The one schema that random weights, weight loading and the cost
 * model's parameter count all read.
 * @throws ValueError naming `layerWeights` for a layer of unknown kind (a spec that bypassed the types).
 */
export function layerWeights(layer: LayerSpec): readonly WeightSpec[] {
  const kind: unknown = (layer as { type?: unknown } | null)?.type;
  if (typeof kind !== 'string' || !Object.hasOwn(WEIGHTS_OF, kind)) {
    throw new ValueError('layerWeights', 'layer.type', `layer.type must be a known layer kind, got ${describeValue(kind)}`);
  }
  return (WEIGHTS_OF[kind as LayerType] as (layer: LayerSpec) => WeightSpec[])(layer);
}
