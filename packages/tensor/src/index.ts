/**
 * `@sepconv/tensor`: tensors, shapes, conv geometry, layouts, errors and the `Backend`
 * interface. Depends on nothing else of sepconv; layer and model specs are in `@sepconv/graph`.
 */
export { activate } from './activation.js';
export { addGeometry, type AddGeometry } from './add-geometry.js';
export type {
  AddKernelInputs,
  Backend,
  CapabilityName,
  ConvKernelInputs,
  KernelName,
  KernelTable,
  KernelVariant,
  ReshapeKernelInputs,
  SeparableKernelInputs,
  SoftmaxKernelInputs,
  UploadKernelInputs,
} from './backend.js';
export {
  defineBackend,
  type BackendDefinition,
  type DefinedBackend,
  type DefinedBackendCore,
  type DefinedCapabilities,
} from './define-backend.js';
export { selectVariant, variantSupports, type GeometryOf, type SelectVariantOptions, type VariantFor } from './select-variant.js';
export {
  assertTensor,
  conv2dGeometry,
  convGeometry,
  depthwiseConv2dGeometry,
  outputShape,
  pointwiseConv2dGeometry,
  separableConv2dGeometry,
  type Conv2dGeometry,
  type ConvKind,
  type ConvShapeSpec,
  type SeparableConv2dGeometry,
} from './conv-geometry.js';
export { describeValue, MAX_VALUE_PREVIEW } from './describe-value.js';
export { BackendError, DTypeError, formatShape, SepconvError, ShapeError, UnsupportedError, ValueError } from './errors.js';
export { depthwiseHwcmToOihw, depthwiseOihwToHwcm, hwioToOihw, nchwToNhwc, nhwcToNchw, oihwToHwio } from './layout.js';
export { ACTIVATIONS, type Activation, type Conv2dOptions, type Padding, type SeparableConv2dOptions } from './options.js';
export { reshapeGeometry, type ReshapeGeometry } from './reshape-geometry.js';
export { softmaxGeometry, type SoftmaxGeometry } from './softmax-geometry.js';
export { Random, randomNormal, randomUniform } from './random.js';
export { assertValidShape, exceedsMaxElements, MAX_ELEMENTS, sizeOf } from './shape.js';
export { assertFloat32Data, HostTensor, isHostTensor, tensor, zeros, type DType, type Tensor } from './tensor.js';
