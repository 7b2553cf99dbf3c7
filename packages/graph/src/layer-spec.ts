import type { ActivationLayer } from './activation-layer.js';
import type { AddLayer } from './add-layer.js';
import type { BatchNormLayer } from './batch-norm-layer.js';
import type { Conv2dLayer } from './conv2d-layer.js';
import type { DenseLayer } from './dense-layer.js';
import type { DepthwiseConv2dLayer } from './depthwise-conv2d-layer.js';
import type { DropoutLayer } from './dropout-layer.js';
import type { PointwiseConv2dLayer } from './pointwise-conv2d-layer.js';
import type { PoolLayer } from './pool-layer.js';
import type { ReshapeLayer } from './reshape-layer.js';
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
  /** Unique within a model; builders use Keras's names (`conv_dw_1`, `block_3_project_BN`). */
  readonly name: string;
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
  | AddLayer
  | DropoutLayer
  | ReshapeLayer;

/** The `type` of each layer kind. */
export type LayerType = LayerSpec['type'];

/** The convolution kinds, whose shapes come from a single `Conv2dGeometry`. */
export type ConvLayer = Conv2dLayer | DepthwiseConv2dLayer | PointwiseConv2dLayer;
