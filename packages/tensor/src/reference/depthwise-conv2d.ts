import { activate } from '../activation.js';
import type { Conv2dGeometry } from '../conv-geometry.js';

/**
 * Reference depthwise convolution:
 * `y[b, oy, ox, c·M + m] = act(bias[c·M + m] + Σ_{ky, kx} x[b, iy, ix, c] · w[ky, kx, c, m] + residual[b, oy, ox, c·M + m])`
 * with `iy = oy·strideHeight − padTop + ky·dilationHeight` (likewise ix); taps in the padding
 * contribute zero; `residual` (the output's shape, when `g.hasResidual`) is added after the bias and
 * before the activation. Accumulates in float64.
 * Legend: b batch, oy/ox output position, ky/kx kernel tap, c input channel, m multiplier index.
 */
export function referenceDepthwiseConv2d(
  x: Float32Array,
  filter: Float32Array,
  bias: Float32Array | undefined,
  g: Conv2dGeometry,
  residual?: Float32Array,
): Float32Array {
  const multiplier = g.channelMultiplier;
  const out = new Float32Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        for (let c = 0; c < g.inChannels; c++) {
          for (let m = 0; m < multiplier; m++) {
            const o = c * multiplier + m;
            let sum = bias ? bias[o]! : 0;
            for (let ky = 0; ky < g.kernelHeight; ky++) {
              const iy = oy * g.strideHeight - g.padTop + ky * g.dilationHeight;
              if (iy < 0 || iy >= g.inHeight) continue;
              for (let kx = 0; kx < g.kernelWidth; kx++) {
                const ix = ox * g.strideWidth - g.padLeft + kx * g.dilationWidth;
                if (ix < 0 || ix >= g.inWidth) continue;
                const xValue = x[((b * g.inHeight + iy) * g.inWidth + ix) * g.inChannels + c]!;
                const wValue = filter[((ky * g.kernelWidth + kx) * g.inChannels + c) * multiplier + m]!;
                sum += xValue * wValue;
              }
            }
            const index = ((b * g.outHeight + oy) * g.outWidth + ox) * g.outChannels + o;
            if (residual) sum += residual[index]!;
            out[index] = activate(sum, g.activation);
          }
        }
      }
    }
  }
  return out;
}
