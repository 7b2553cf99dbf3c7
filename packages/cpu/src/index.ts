/**
 * `@sepconv/cpu`: the CPU backend of sepconv — depthwise, pointwise, standard and fused
 * separable convolution in WebAssembly SIMD (relaxed-SIMD FMA where available) with a
 * JavaScript fallback, multi-threaded over shared memory.
 *
 * ```ts
 * const backend = await createCpuBackend({ threads: 2 });
 * const y = backend.separableConv2d(x, depthwiseFilter, pointwiseFilter, { padding: 'same', depthwiseActivation: 'relu6' });
 * const data = await backend.read(y);
 * ```
 *
 * @packageDocumentation
 */
export type { CpuBackend } from './cpu-backend.js';
export { CpuQuantizedTensor } from './cpu-quantized-tensor.js';
export { CpuTensor } from './cpu-tensor.js';
export type { HeapStats } from './heap.js';
export type { JobTiming } from './wasm/wasm-runtime.js';
export { createCpuBackend, type CpuBackendOptions } from './create-cpu-backend.js';
export { isaSupport, type Isa } from './isa.js';
export { variantSupport, type VariantRequirements } from './variant-support.js';
export { cpuVariants, type CpuConvVariant, type CpuKernelVariant, type CpuSeparableVariant } from './variants.js';
export {
  cpuQuantizedVariants,
  type CpuQuantizedConvVariant,
  type CpuQuantizedSeparableVariant,
  type CpuQuantizedVariant,
} from './quantized-variants.js';
