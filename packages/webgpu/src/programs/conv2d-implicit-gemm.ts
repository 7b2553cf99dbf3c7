import type { Conv2dGeometry } from '@sepconv/tensor';
import type { GpuProgram } from '../gpu-program.js';
import { tiledGemmProgram } from './tiled-gemm.js';
import { CONV_WINDOW_UNIFORMS } from './conv-window-uniforms.js';

/** The variant name of {@link conv2dImplicitGemmProgram} for `conv2d`. */
export const CONV2D_IMPLICIT_GEMM_NAME = 'conv2d-nhwc-implicit-gemm-f32';
/** The variant name of {@link conv2dImplicitGemmProgram} for `pointwiseConv2d` (any stride / padding). */
export const POINTWISE_IMPLICIT_GEMM_NAME = 'pwconv2d-nhwc-implicit-gemm-f32';

// kernelHeight is left out: the GEMM's K index splits over kernelWidth and inChannels alone.
const GEOMETRY_UNIFORMS = [
  'inHeight',
  'inWidth',
  'inChannels',
  'outHeight',
  'outWidth',
  ...CONV_WINDOW_UNIFORMS.filter((field) => field !== 'kernelHeight'),
] as const;

/**
 * Standard convolution as an implicit GEMM: `[N·OH·OW, KH·KW·Cin] × [KH·KW·Cin, Cout]`, with
 * the im2col matrix never built — each A element is computed from its row (output pixel)
 * and column (tap, input channel) as it is staged. The HWIO filter already is B.
 * Also serves 1×1 convolutions with strides or padding.
 * Bindings: x NHWC, weights `[KH, KW, Cin, Cout]`, bias `[Cout]` (a placeholder when `hasBias` is 0), y NHWC.
 */
export function conv2dImplicitGemmProgram(g: Conv2dGeometry, name: string = CONV2D_IMPLICIT_GEMM_NAME): GpuProgram {
  return tiledGemmProgram({
    name,
    loaderKey: 'unfold',
    loaderInputs: ['x'],
    bInput: 'weights',
    loaderUniforms: GEOMETRY_UNIFORMS.map((field) => ({ name: field, value: g[field] })),
    // Legend: b batch, oy/ox output position, ky/kx tap, c input channel.
    loaderWgsl: `fn loadA(row: i32, k: i32) -> f32 {
  let ox = row % params.outWidth;
  let rest = row / params.outWidth;
  let oy = rest % params.outHeight;
  let b = rest / params.outHeight;
  let c = k % params.inChannels;
  let tap = k / params.inChannels;
  let kx = tap % params.kernelWidth;
  let ky = tap / params.kernelWidth;
  let iy = oy * params.strideHeight - params.padTop + ky * params.dilationHeight;
  let ix = ox * params.strideWidth - params.padLeft + kx * params.dilationWidth;
  if (iy < 0 || iy >= params.inHeight || ix < 0 || ix >= params.inWidth) { return 0.0; }
  return x[((b * params.inHeight + iy) * params.inWidth + ix) * params.inChannels + c];
}`,
    hasBias: g.hasBias,
    activation: g.activation,
    m: g.batch * g.outHeight * g.outWidth,
    n: g.outChannels,
    k: g.kernelHeight * g.kernelWidth * g.inChannels,
  });
}
