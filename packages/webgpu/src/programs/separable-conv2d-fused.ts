import type { SeparableConv2dGeometry } from '@sepconv/tensor';
import type { GpuProgram } from '../gpu-program.js';
import { ACTIVATION_CODES } from '../wgsl-activation.js';
import { tiledGemmProgram } from './tiled-gemm.js';
import { CONV_WINDOW_UNIFORMS } from './conv-window-uniforms.js';

/** The variant name of {@link separableConv2dFusedProgram}. */
export const SEPARABLE_FUSED_NAME = 'sepconv2d-nhwc-fused-gemm-f32';

const GEOMETRY_UNIFORMS = ['inHeight', 'inWidth', 'inChannels', 'channelMultiplier', 'outHeight', 'outWidth', ...CONV_WINDOW_UNIFORMS] as const;

/**
 * Depthwise then pointwise in one dispatch: the pointwise tiled GEMM whose A tile (output
 * pixels × depthwise channels) is the depthwise convolution, with its bias and activation,
 * computed while staging. The intermediate never reaches memory; the price is recomputing
 * the depthwise slice once per 64 output channels, KH·KW/64 of the pointwise work.
 * Bindings: x NHWC, depthwiseWeights `[KH, KW, C, M]`, depthwiseBias `[C·M]`, pointwiseWeights
 * `[C·M, Cout]`, bias `[Cout]` (biases are placeholders when their flag is 0), y NHWC.
 */
export function separableConv2dFusedProgram(g: SeparableConv2dGeometry): GpuProgram {
  const dw = g.depthwise;
  return tiledGemmProgram({
    name: SEPARABLE_FUSED_NAME,
    loaderKey: 'depthwise',
    loaderInputs: ['x', 'depthwiseWeights', 'depthwiseBias'],
    bInput: 'pointwiseWeights',
    loaderUniforms: [
      ...GEOMETRY_UNIFORMS.map((field) => ({ name: field, value: dw[field] })),
      { name: 'depthwiseActivation', value: ACTIVATION_CODES[dw.activation] },
      { name: 'hasDepthwiseBias', value: dw.hasBias ? 1 : 0 },
    ],
    // Legend: b batch, oy/ox output position, ky/kx tap, c input channel, m multiplier index.
    loaderWgsl: `fn loadA(row: i32, k: i32) -> f32 {
  let ox = row % params.outWidth;
  let rest = row / params.outWidth;
  let oy = rest % params.outHeight;
  let b = rest / params.outHeight;
  let c = k / params.channelMultiplier;
  let m = k % params.channelMultiplier;
  var sum = 0.0;
  if (params.hasDepthwiseBias != 0) { sum = depthwiseBias[k]; }
  for (var ky = 0; ky < params.kernelHeight; ky++) {
    let iy = oy * params.strideHeight - params.padTop + ky * params.dilationHeight;
    if (iy < 0 || iy >= params.inHeight) { continue; }
    for (var kx = 0; kx < params.kernelWidth; kx++) {
      let ix = ox * params.strideWidth - params.padLeft + kx * params.dilationWidth;
      if (ix < 0 || ix >= params.inWidth) { continue; }
      sum = sum + x[((b * params.inHeight + iy) * params.inWidth + ix) * params.inChannels + c]
        * depthwiseWeights[((ky * params.kernelWidth + kx) * params.inChannels + c) * params.channelMultiplier + m];
    }
  }
  return activate(sum, params.depthwiseActivation);
}`,
    hasBias: g.pointwise.hasBias,
    activation: g.pointwise.activation,
    m: dw.batch * dw.outHeight * dw.outWidth,
    n: g.pointwise.outChannels,
    k: dw.outChannels,
  });
}
