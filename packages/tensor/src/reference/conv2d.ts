import { activate } from '../activation.js';
import type { Conv2dGeometry } from '../conv-geometry.js';

/**
 * Reference standard convolution, the executable definition of
 * `y[b, oy, ox, o] = act(bias[o] + Σ_{ky, kx, c} x[b, iy, ix, c] · w[ky, kx, c, o] + residual[b, oy, ox, o])`
 * with `iy = oy·strideHeight − padTop + ky·dilationHeight` (likewise ix); taps in the padding
 * contribute zero; `residual` (the output's shape, when `g.hasResidual`) is added after the bias and
 * before the activation. Accumulates in float64. Also runs pointwise filters (`[Cin, Cout]` is the
 * memory layout of `[1, 1, Cin, Cout]`).
 * Legend: b batch, oy/ox output row/column, ky/kx kernel tap, c input channel, o output channel.
 */
export function referenceConv2d(
  x: Float32Array,
  filter: Float32Array,
  bias: Float32Array | undefined,
  g: Conv2dGeometry,
  residual?: Float32Array,
): Float32Array {
  const out = new Float32Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        for (let o = 0; o < g.outChannels; o++) {
          let sum = bias ? bias[o]! : 0;
          for (let ky = 0; ky < g.kernelHeight; ky++) {
            const iy = oy * g.strideHeight - g.padTop + ky * g.dilationHeight;
            if (iy < 0 || iy >= g.inHeight) continue;
            for (let kx = 0; kx < g.kernelWidth; kx++) {
              const ix = ox * g.strideWidth - g.padLeft + kx * g.dilationWidth;
              if (ix < 0 || ix >= g.inWidth) continue;
              for (let c = 0; c < g.inChannels; c++) {
                const xValue = x[((b * g.inHeight + iy) * g.inWidth + ix) * g.inChannels + c]!;
                const wValue = filter[((ky * g.kernelWidth + kx) * g.inChannels + c) * g.outChannels + o]!;
                sum += xValue * wValue;
              }
            }
          }
          const index = ((b * g.outHeight + oy) * g.outWidth + ox) * g.outChannels + o;
          if (residual) sum += residual[index]!;
          out[index] = activate(sum, g.activation);
        }
      }
    }
  }
  return out;
}
