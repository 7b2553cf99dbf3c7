import type { Conv2dGeometry } from '../conv-geometry.js';
import type { ConvRequantization } from '../requantization.js';
import { requantize } from './quantized-conv2d.js';

/**
 * Reference int8 depthwise convolution, TensorFlow Lite's `DepthwiseConvPerChannel`: for output
 * channel `o = c·M + m`, `acc = bias[o] + Σ_{ky, kx} w[ky, kx, c, m] · (x[b, iy, ix, c] − inputZeroPoint)`
 * in int32, then `y = clamp(outputZeroPoint + MBQM(acc, multipliers[o], shifts[o]), activationMin, activationMax)`.
 * Padding taps contribute nothing. Same indexing as the float `referenceDepthwiseConv2d`.
 * @param x NHWC int8. @param filter `[KH, KW, C, M]` int8, symmetric per output channel `c·M + m`.
 * @param bias `[C·M]` int32, or undefined. @param r from `convRequantization`.
 * Legend: b batch, oy/ox output position, ky/kx kernel tap, c input channel, m multiplier index.
 */
export function referenceQuantizedDepthwiseConv2d(
  x: Int8Array,
  filter: Int8Array,
  bias: Int32Array | undefined,
  g: Conv2dGeometry,
  r: ConvRequantization,
): Int8Array {
  const multiplier = g.channelMultiplier;
  const out = new Int8Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        for (let c = 0; c < g.inChannels; c++) {
          for (let m = 0; m < multiplier; m++) {
            const o = c * multiplier + m;
            let acc = 0;
            for (let ky = 0; ky < g.kernelHeight; ky++) {
              const iy = oy * g.strideHeight - g.padTop + ky * g.dilationHeight;
              if (iy < 0 || iy >= g.inHeight) continue;
              for (let kx = 0; kx < g.kernelWidth; kx++) {
                const ix = ox * g.strideWidth - g.padLeft + kx * g.dilationWidth;
                if (ix < 0 || ix >= g.inWidth) continue;
                const xValue = x[((b * g.inHeight + iy) * g.inWidth + ix) * g.inChannels + c]! - r.inputZeroPoint;
                const wValue = filter[((ky * g.kernelWidth + kx) * g.inChannels + c) * multiplier + m]!;
                acc = (acc + xValue * wValue) | 0;
              }
            }
            if (bias) acc = (acc + bias[o]!) | 0;
            out[((b * g.outHeight + oy) * g.outWidth + ox) * g.outChannels + o] = requantize(acc, o, r);
          }
        }
      }
    }
  }
  return out;
}
