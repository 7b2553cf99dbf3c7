/**
 * `@sepconv/tensor`: tensors, shapes, conv geometry, layouts, errors and the `Backend`
 * interface. Depends on nothing else of sepconv; layer and model specs are in `@sepconv/graph`.
 *
 * @packageDocumentation
 */
export { activate, checkActivation, checkConvActivation } from './activation.js';
export { addGeometry, type AddGeometry } from './add-geometry.js';
export type {
  ActivationKernelInputs,
  AddKernelInputs,
  Backend,
  BinaryKernelInputs,
  CapabilityKernelInputs,
  CapabilityName,
  ConcatKernelInputs,
  ConvKernelInputs,
  GlobalPool2dKernelInputs,
  KernelName,
  KernelTable,
  KernelVariant,
  PadKernelInputs,
  Pool2dKernelInputs,
  ReshapeKernelInputs,
  ResizeBilinearKernelInputs,
  SeparableKernelInputs,
  SoftmaxKernelInputs,
  UploadKernelInputs,
} from './backend.js';
export { defineBackend, type BackendDefinition, type DefinedBackend, type DefinedBackendCore, type DefinedCapabilities } from './define-backend.js';
export { checkVariantOption, isTunable, kernelCallGeometry, supportingVariants, type KernelCall, type TunableBackend } from './kernel-variants.js';
export type { LoweringPreferences } from './lowering-preferences.js';
export { canPrepareWeights, type WeightPreparingBackend } from './weight-preparing-backend.js';
export {
  canPrepareQuantizedWeights,
  quantizedKernelCallInputs,
  type QuantizedKernelCall,
  type QuantizedWeightPreparingBackend,
} from './quantized-weight-preparing-backend.js';
export { selectVariant, variantSupports, type GeometryOf, type SelectVariantOptions, type VariantFor } from './select-variant.js';
export { ChannelScaledTensor, heldData } from './channel-scaled-tensor.js';
export { binaryGeometry, type BinaryGeometry, type BinaryOp } from './binary-geometry.js';
export { concatGeometry, type ConcatGeometry } from './concat-geometry.js';
export { globalPool2dGeometry, type GlobalPool2dGeometry } from './global-pool2d-geometry.js';
export { padGeometry, type PadGeometry } from './pad-geometry.js';
export { pool2dGeometry, type Pool2dGeometry } from './pool2d-geometry.js';
export { resizeBilinearGeometry, type ResizeBilinearGeometry } from './resize-bilinear-geometry.js';
export { unaryGeometry, type UnaryGeometry } from './unary-geometry.js';
export {
  assertTensor,
  conv2dGeometry,
  convGeometry,
  depthwiseConv2dGeometry,
  outputShape,
  pointwiseConv2dGeometry,
  placeWindow,
  separableConv2dGeometry,
  type Conv2dGeometry,
  type ConvKind,
  type ConvShapeSpec,
  type SeparableConv2dGeometry,
  type WindowPlacement,
} from './conv-geometry.js';
export { describeValue, MAX_VALUE_PREVIEW } from './describe-value.js';
export { BackendError, DTypeError, formatShape, SepconvError, ShapeError, UnsupportedError, ValueError } from './errors.js';
export { depthwiseHwcmToOihw, depthwiseOihwToHwcm, hwioToOihw, nchwToNhwc, nhwcToNchw, oihwToHwio } from './layout.js';
export {
  ACTIVATIONS,
  CONV_ACTIVATIONS,
  type Activation,
  type BinaryOptions,
  type ConcatOptions,
  type Conv2dOptions,
  type ConvActivation,
  type ExplicitPadding,
  type GlobalPool2dOptions,
  type PadOptions,
  type Padding,
  type Pool2dOptions,
  type PoolType,
  type ResizeBilinearOptions,
  type SeparableConv2dOptions,
} from './options.js';
export { reshapeGeometry, type ReshapeGeometry } from './reshape-geometry.js';
export { softmaxGeometry, type SoftmaxGeometry } from './softmax-geometry.js';
export { Random, randomNormal, randomUniform } from './random.js';
export { multiplyByQuantizedMultiplier, roundingDivideByPot, saturatingRoundingDoublingHighMul } from './fixed-point.js';
export { quantizeMultiplier, type QuantizedMultiplier } from './quantize-multiplier.js';
export { checkQuantParams, chooseQuantParams, INT8_MAX, INT8_MIN, INT8_WEIGHT_MAX, roundHalfAwayFromZero, type QuantParams } from './quant-params.js';
export { HostQuantizedTensor, isHostQuantizedTensor, type QuantizedTensor } from './quantized-tensor.js';
export { assertQuantizedTensor, assertQuantParamsEqual, sameQuantParams } from './assert-quantized-tensor.js';
export { QuantizedConvWeights, type QuantizedConvWeightsSpec } from './quantized-conv-weights.js';
export {
  activationLookupTable,
  int8LookupTable,
  LOOKUP_TABLE_SIZE,
  QuantizedLookupTable,
  type QuantizedLookupTableSpec,
} from './quantized-lookup-table.js';
export type { QuantizedCapabilitySignatures, QuantizedReadback } from './quantized-backend.js';
export type {
  DequantizeKernelInputs,
  QuantizeKernelInputs,
  QuantizedAddKernelInputs,
  QuantizedCapabilityKernelInputs,
  QuantizedConcatKernelInputs,
  QuantizedConvKernelInputs,
  QuantizedGlobalPool2dKernelInputs,
  QuantizedLookupKernelInputs,
  QuantizedMulKernelInputs,
  QuantizedPadKernelInputs,
  QuantizedPool2dKernelInputs,
  QuantizedReshapeKernelInputs,
  QuantizedResultCapability,
  QuantizedSeparableKernelInputs,
  RequantizeKernelInputs,
} from './quantized-kernel-inputs.js';
export type { QuantizedAddOptions, QuantizedConv2dOptions, QuantizedGlobalPool2dOptions, QuantizedMulOptions } from './quantized-options.js';
export { dequantize, dequantizeValues, quantize, quantizeBias, quantizeValues } from './quantize.js';
export { symmetricPerChannel, type PerChannelQuantized } from './symmetric-per-channel.js';
export {
  ADD_LEFT_SHIFT,
  activationRange,
  addRequantization,
  convRequantization,
  globalPool2dRequantization,
  mulRequantization,
  pool2dRequantization,
  requantizeRequantization,
  type ActivationRange,
  type AddRequantization,
  type ConvQuantization,
  type ConvRequantization,
  type GlobalPool2dRequantization,
  type MulRequantization,
  type RequantizeRequantization,
} from './requantization.js';
export { assertValidShape, exceedsMaxElements, MAX_ELEMENTS, sizeOf } from './shape.js';
export { TensorScopes, type AsyncTensorScope } from './tensor-scope.js';
export { assertFloat32Data, HostTensor, isHostTensor, tensor, zeros, type DType, type Tensor } from './tensor.js';
