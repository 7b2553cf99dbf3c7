import type { Conv2dGeometry } from '@sepconv/tensor';
import { wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { ACTIVATION_CODES } from '../wgsl-activation.js';
import { wgslPixelIndex } from '../wgsl-output-index.js';
import { CONV_WINDOW_UNIFORMS } from './conv-window-uniforms.js';
import { flatProgram } from './flat-program.js';
import { floatConvPreamble } from './float-conv-preamble.js';

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
  ...CONV_WINDOW_UNIFORMS,
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
  const values = { ...g, total, activation: ACTIVATION_CODES[g.activation], hasBias: g.hasBias ? 1 : 0 };
  return flatProgram({
    name: DEPTHWISE_GENERIC_NAME,
    workgroupSize: DEPTHWISE_GENERIC_WORKGROUP_SIZE,
    invocations: total,
    preamble: floatConvPreamble(UNIFORMS),
    values,
    body: () => `// Legend: b batch, oy/ox output position, ky/kx tap, c input channel, m multiplier index.
${wgslComputeMain(DEPTHWISE_GENERIC_WORKGROUP_SIZE)}
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
  });
}
