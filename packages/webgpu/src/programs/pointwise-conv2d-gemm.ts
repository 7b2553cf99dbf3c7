import type { Conv2dGeometry } from '@sepconv/tensor';
import type { GpuProgram } from '../gpu-program.js';
import { gemmTileMostlyFilled, tiledGemmProgram } from './tiled-gemm.js';

/** The variant name of {@link pointwiseConv2dGemmProgram}. */
export const POINTWISE_GEMM_NAME = 'pwconv2d-nhwc-gemm-tiled-f32';

/** True for 1×1 convolutions that read every input pixel in order (stride 1, no padding): the input is the GEMM's A matrix. */
export function readsInputAsMatrix(g: Conv2dGeometry): boolean {
  return (
    g.kernelHeight === 1 &&
    g.kernelWidth === 1 &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.padTop + g.padBottom + g.padLeft + g.padRight === 0
  );
}

/** True where {@link readsInputAsMatrix} holds and the output pixels fill most of a GEMM tile ({@link gemmTileMostlyFilled}). */
export function supportsPointwiseGemm(g: Conv2dGeometry): boolean {
  return readsInputAsMatrix(g) && gemmTileMostlyFilled(g.batch * g.outHeight * g.outWidth);
}

/**
 * Pointwise (1×1) convolution as the tiled matrix product `[N·H·W, Cin] × [Cin, Cout]`:
 * with NHWC and stride 1 the input already is the row-major A matrix.
 * Bindings: x NHWC, weights `[Cin, Cout]`, bias `[Cout]` (a placeholder when `hasBias` is 0), y NHWC.
 */
export function pointwiseConv2dGemmProgram(g: Conv2dGeometry): GpuProgram {
  return tiledGemmProgram({
    name: POINTWISE_GEMM_NAME,
    loaderKey: 'rows',
    loaderInputs: ['x'],
    bInput: 'weights',
    loaderUniforms: [],
    loaderWgsl: 'fn loadA(row: i32, k: i32) -> f32 { return x[row * params.K + k]; }',
    hasBias: g.hasBias,
    activation: g.activation,
    m: g.batch * g.outHeight * g.outWidth,
    n: g.outChannels,
    k: g.inChannels,
  });
}
