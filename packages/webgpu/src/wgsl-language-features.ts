import { defaultGpu } from './request-webgpu-device.js';
import { PACKED_DOT_FEATURE } from './wgsl-int8.js';

/**
 * Whether this runtime's WGSL has `dot4I8Packed` (the `packed_4x8_integer_dot_product` language
 * feature, in `GPU.wgslLanguageFeatures`: a property of the runtime's compiler, not of the device).
 * False when the runtime does not say, or has no WebGPU of its own (a device passed in from elsewhere).
 */
export async function hasPackedIntegerDot(): Promise<boolean> {
  try {
    const gpu = await defaultGpu();
    return gpu.wgslLanguageFeatures?.has(PACKED_DOT_FEATURE) ?? false;
  } catch {
    return false;
  }
}
