/**
 * `@sepconv/tensor/reference`: the naive reference kernels and the backend built on them,
 * the oracle every other backend is compared with.
 */
export { referenceAdd } from './add.js';
export { referenceSoftmax } from './softmax.js';
export { referenceConv2d } from './conv2d.js';
export { referenceDepthwiseConv2d } from './depthwise-conv2d.js';
export { referenceSeparableConv2d } from './separable-conv2d.js';
export { createReferenceBackend, referenceKernels } from './reference-backend.js';
