import type { ActivationLayer } from './activation-layer.js';
import type { BatchNormLayer } from './batch-norm-layer.js';
import type { ConcatLayer } from './concat-layer.js';
import type { Conv2dLayer } from './conv2d-layer.js';
import type { DenseLayer } from './dense-layer.js';
import type { DepthwiseConv2dLayer } from './depthwise-conv2d-layer.js';
import type { DropoutLayer } from './dropout-layer.js';
import type { ElementwiseLayer } from './elementwise-layer.js';
import type { PadLayer } from './pad-layer.js';
import type { PointwiseConv2dLayer } from './pointwise-conv2d-layer.js';
import type { PoolLayer } from './pool-layer.js';
import type { RescalingLayer } from './rescaling-layer.js';
import type { ReshapeLayer } from './reshape-layer.js';
import type { ResizeBilinearLayer } from './resize-bilinear-layer.js';
import type { SeparableConv2dLayer } from './separable-conv2d-layer.js';

/**
 * What every layer spec has. Specs are plain, JSON-serialisable data: no tensors, no
 * functions. Shapes are NHWC `[batch, height, width, channels]` for image layers and
 * `[batch, features]` after flattening; `outputShape` is resolved when the spec is built
 * (by `convGeometry` for the convolution and pooling kinds, the code the kernels use).
 */
export interface LayerBase {
  /** Which kind of layer; the discriminant of {@link LayerSpec}. */
  readonly type: string;
  /**
   * Unique within a model, and the name of the tensor the layer produces; builders use
   * Keras's names (`conv_dw_1`, `block_3_project_BN`).
   */
  readonly name: string;
  /**
   * The tensors the layer consumes, by name: model inputs or other layers. Optional on a
   * builder's result: `modelSpec` fills a missing `inputs` with the previous layer's output
   * (the first model input for the first layer), and a {@link GraphLayer} always has it.
   */
  readonly inputs?: readonly string[];
  /** The shape of the (first) input. Kinds with several inputs also list `inputShapes`. */
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
}

/** Any layer sepconv can describe, count and (given a backend) run. */
export type LayerSpec =
  | Conv2dLayer
  | DepthwiseConv2dLayer
  | PointwiseConv2dLayer
  | SeparableConv2dLayer
  | BatchNormLayer
  | ActivationLayer
  | PoolLayer
  | DenseLayer
  | ElementwiseLayer
  | ConcatLayer
  | PadLayer
  | ResizeBilinearLayer
  | RescalingLayer
  | DropoutLayer
  | ReshapeLayer;

/** The `type` of each layer kind. */
export type LayerType = LayerSpec['type'];

/** A layer inside a `ModelSpec`: its `inputs` resolved to tensor names. */
export type GraphLayer<L extends LayerSpec = LayerSpec> = L & { readonly inputs: readonly string[] };

/** The layer spec of one kind (`LayerOf<'concat'>` is `ConcatLayer`). */
export type LayerOf<T extends LayerType> = Extract<LayerSpec, { readonly type: T }>;

/** The convolution kinds, whose shapes come from a single `Conv2dGeometry`. */
export type ConvLayer = Conv2dLayer | DepthwiseConv2dLayer | PointwiseConv2dLayer;

/**
 * The shape each tensor input of a layer must have, in the order of its `inputs`: the
 * `inputShapes` of the several-input kinds (element-wise, concat), else `[inputShape]`.
 */
export function layerInputShapes(layer: LayerSpec): readonly (readonly number[])[] {
  return 'inputShapes' in layer ? layer.inputShapes : [layer.inputShape];
}
