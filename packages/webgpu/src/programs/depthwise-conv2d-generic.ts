import type { Conv2dGeometry } from '@sepconv/tensor';
import { dispatchGrid } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { ACTIVATION_CODES, wgslActivation } from '../wgsl-activation.js';
import { wgslHeader } from '../wgsl-header.js';
import { wgslPixelIndex } from '../wgsl-output-index.js';

/**
 * 64 invocations, one output element each: a multiple of every GPU's SIMD width (32 on
 * NVIDIA, 32/64 on AMD, 8–16 on Intel and SwiftShader) and WebGPU's guaranteed minimum.
 */
export const DEPTHWISE_GENERIC_WORKGROUP_SIZE = 64;

const UNIFORMS = [
  'total',
  'inHeight',
  'inWidth',
  'inChannels',
  'channelMultiplier',
  'outHeight',
  'outWidth',
  'outChannels',
  'kernelHeight',
  'kernelWidth',
  'strideHeight',
  'strideWidth',
  'dilationHeight',
  'dilationWidth',
  'padTop',
  'padLeft',
  'activation',
  'hasBias',
] as const;

/** The variant name of {@link depthwiseConv2dGenericProgram}. */
export const DEPTHWISE_GENERIC_NAME = 'dwconv2d-nhwc-generic-f32';

/**
 * Depthwise convolution for any geometry (kernel size, strides, dilations, padding, channel
 * multiplier): one invocation per output element, taps read straight from global memory.
 * The fallback behind the tiled variant, and the definition it is checked against.
 * Bindings: x NHWC, weights `[KH, KW, C, M]`, bias `[C·M]` (a placeholder when `hasBias` is 0), y NHWC.
 */
export function depthwiseConv2dGenericProgram(g: Conv2dGeometry): GpuProgram {
  const total = g.batch * g.outHeight * g.outWidth * g.outChannels;
  const inputs = ['x', 'weights', 'bias'];
  const values = { ...g, total, activation: ACTIVATION_CODES[g.activation], hasBias: g.hasBias ? 1 : 0 };
  return {
    name: DEPTHWISE_GENERIC_NAME,
    cacheKey: DEPTHWISE_GENERIC_NAME,
    workgroupSize: [DEPTHWISE_GENERIC_WORKGROUP_SIZE, 1, 1],
    inputs,
    dispatch: () => dispatchGrid(Math.ceil(total / DEPTHWISE_GENERIC_WORKGROUP_SIZE)),
    uniforms: () => UNIFORMS.map((name) => ({ name, value: values[name] })),
    wgsl: () => `${wgslHeader({ inputs }, UNIFORMS)}
${wgslActivation('activate', 'f32')}

// Legend: b batch, oy/ox output position, ky/kx tap, c input channel, m multiplier index.
@compute @workgroup_size(${DEPTHWISE_GENERIC_WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) workgroupId: vec3<u32>, @builtin(num_workgroups) numWorkgroups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
${wgslPixelIndex(DEPTHWISE_GENERIC_WORKGROUP_SIZE, 'o', 'outChannels')}
  let c = o / params.channelMultiplier;
  let m = o % params.channelMultiplier;
  var sum = 0.0;
  if (params.hasBias != 0) { sum = bias[o]; }
  for (var ky = 0; ky < params.kernelHeight; ky++) {
    let iy = oy * params.strideHeight - params.padTop + ky * params.dilationHeight;
    if (iy < 0 || iy >= params.inHeight) { continue; }
    for (var kx = 0; kx < params.kernelWidth; kx++) {
      let ix = ox * params.strideWidth - params.padLeft + kx * params.dilationWidth;
      if (ix < 0 || ix >= params.inWidth) { continue; }
      let xValue = x[((b * params.inHeight + iy) * params.inWidth + ix) * params.inChannels + c];
      let wValue = weights[((ky * params.kernelWidth + kx) * params.inChannels + c) * params.channelMultiplier + m];
      sum = sum + xValue * wValue;
    }
  }
  y[index] = activate(sum, params.activation);
}
`,
  };
}
