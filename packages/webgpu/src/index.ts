/// <reference types="@webgpu/types" />
// The public types mention GPUDevice, GPUAdapter…: the reference (and the dependency on
// @webgpu/types) lets TypeScript users compile without adding WebGPU's types themselves.
/**
 * `@sepconv/webgpu`: the WebGPU backend of sepconv — WGSL compute kernels for NHWC float32
 * depthwise, pointwise, standard and fused separable convolution, in browsers
 * (`navigator.gpu`) and in Node (the optional `webgpu` package, Dawn).
 *
 * @packageDocumentation
 */
export { createWebGpuBackend, type WebGpuBackend, type WebGpuBackendOptions } from './create-webgpu-backend.js';
export { createNodeGpuDevice } from './create-node-gpu-device.js';
export { loadNodeGpu } from './node-gpu.js';
export { requestWebGpuDevice, type RequestWebGpuDeviceOptions } from './request-webgpu-device.js';
export { GpuTensor } from './gpu-tensor.js';
export { GpuQuantizedTensor } from './gpu-quantized-tensor.js';
export {
  QUANTIZED_SEPARABLE_TWO_PASS_NAME,
  webGpuQuantizedVariants,
  type WebGpuQuantizedConvVariant,
  type WebGpuQuantizedSeparableVariant,
  type WebGpuQuantizedVariant,
} from './quantized-variants.js';
export type { BufferPoolStats } from './buffer-pool.js';
export type { GpuProgram, UniformField } from './gpu-program.js';
export { SEPARABLE_TWO_PASS_NAME, webGpuVariants, type WebGpuConvVariant, type WebGpuSeparableVariant, type WebGpuVariant } from './variants.js';
