/**
 * `@sepconv/graph`: layer and model specs — plain, JSON-serialisable descriptions of networks
 * as directed acyclic graphs of named tensors, one layer kind per file. Each builder checks its
 * options and resolves its output shape with `@sepconv/tensor`'s conv geometry; `modelSpec`
 * checks the graph. The cost model counts these specs and `@sepconv/mobilenet` builds, reads
 * and runs them. Depends only on `@sepconv/tensor`.
 *
 * @packageDocumentation
 */
export {
  activationLayer,
  checkLayerActivation,
  LAYER_ACTIVATIONS,
  type ActivationLayer,
  type ActivationLayerOptions,
  type LayerActivation,
} from './activation-layer.js';
export { addLayer, type AddLayer, type AddLayerOptions } from './add-layer.js';
export { batchNormLayer, type BatchNormLayer, type BatchNormLayerOptions } from './batch-norm-layer.js';
export { concatLayer, type ConcatLayer, type ConcatLayerOptions } from './concat-layer.js';
export { conv2dLayer, type Conv2dLayer, type Conv2dLayerOptions } from './conv2d-layer.js';
export { denseLayer, type DenseLayer, type DenseLayerOptions } from './dense-layer.js';
export { depthwiseConv2dLayer, type DepthwiseConv2dLayer, type DepthwiseConv2dLayerOptions } from './depthwise-conv2d-layer.js';
export { dropoutLayer, type DropoutLayer, type DropoutLayerOptions } from './dropout-layer.js';
export {
  ELEMENTWISE_OPS,
  elementwiseLayer,
  type ElementwiseConstant,
  type ElementwiseLayer,
  type ElementwiseLayerOf,
  type ElementwiseLayerOptions,
  type ElementwiseOp,
} from './elementwise-layer.js';
export { layerGeometry, separableLayerGeometry } from './layer-geometry.js';
export { layerInputShapes, type ConvLayer, type GraphLayer, type LayerBase, type LayerOf, type LayerSpec, type LayerType } from './layer-spec.js';
export { layerWeights, type WeightRole, type WeightSpec } from './layer-weights.js';
export { modelInput, modelOutputShape, tensorShapes } from './model-accessors.js';
export { modelSpec, type ModelInput, type ModelLayout, type ModelSpec, type ModelSpecOptions } from './model-spec.js';
export { modelWeights, type ModelWeight } from './model-weights.js';
export { padLayer, type PadLayer, type PadLayerOptions, type SpatialPadding } from './pad-layer.js';
export { pointwiseConv2dLayer, type PointwiseConv2dLayer, type PointwiseConv2dLayerOptions } from './pointwise-conv2d-layer.js';
export { poolLayer, type PoolLayer, type PoolLayerOptions } from './pool-layer.js';
export { rescalingLayer, type RescalingLayer, type RescalingLayerOptions } from './rescaling-layer.js';
export { reshapeLayer, type ReshapeLayer, type ReshapeLayerOptions } from './reshape-layer.js';
export { resizeBilinearLayer, type ResizeBilinearLayer, type ResizeBilinearLayerOptions } from './resize-bilinear-layer.js';
export { separableConv2dLayer, type SeparableConv2dLayer, type SeparableConv2dLayerOptions } from './separable-conv2d-layer.js';
