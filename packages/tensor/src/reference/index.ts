/**
 * `@sepconv/tensor/reference`: the naive reference kernels and the backend built on them,
 * the oracle every other backend is compared with.
 */
export { referenceActivation } from './activation.js';
export { referenceAdd } from './add.js';
export { referenceBinary } from './binary.js';
export { referenceConcat } from './concat.js';
export { referenceGlobalPool2d } from './global-pool2d.js';
export { referencePad } from './pad.js';
export { referencePool2d } from './pool2d.js';
export { referenceResizeBilinear } from './resize-bilinear.js';
export { referenceSoftmax } from './softmax.js';
export { referenceConv2d } from './conv2d.js';
export { referenceDepthwiseConv2d } from './depthwise-conv2d.js';
export { referenceSeparableConv2d } from './separable-conv2d.js';
export { referenceQuantizedAdd } from './quantized-add.js';
export { referenceQuantizedLookup } from './quantized-lookup.js';
export { referenceQuantizedMul } from './quantized-mul.js';
export { referenceQuantizedConv2d } from './quantized-conv2d.js';
export { referenceQuantizedDepthwiseConv2d } from './quantized-depthwise-conv2d.js';
export { referenceQuantizedGlobalAvgPool2d } from './quantized-global-pool2d.js';
export { referenceQuantizedPointwiseConv2d } from './quantized-pointwise-conv2d.js';
export { referenceQuantizedAvgPool2d } from './quantized-pool2d.js';
export { referenceRequantize } from './quantized-requantize.js';
export { referenceQuantizedKernels } from './quantized-kernels.js';
export { createReferenceBackend, referenceKernels } from './reference-backend.js';
