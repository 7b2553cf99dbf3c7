import type { Conv2dGeometry } from '../conv-geometry.js';
import { multiplyByQuantizedMultiplier } from '../fixed-point.js';
import type { ConvRequantization } from '../requantization.js';

/**
 * Reference int8 standard convolution, TensorFlow Lite's `ConvPerChannel`:
 * `acc = bias[o] + Σ_{ky, kx, c} w[ky, kx, c, o] · (x[b, iy, ix, c] − inputZeroPoint)` in int32
 * (wrapping, as every integer backend does), then
 * `y[b, oy, ox, o] = clamp(outputZeroPoint + MBQM(acc, multipliers[o], shifts[o]), activationMin, activationMax)`.
 * Taps in the padding contribute nothing — the padding stands for real 0, which is the zero
 * point exactly. Same indexing as the float `referenceConv2d` (`g.activation` is already the
 * clamp in `r`); also runs pointwise filters (`[Cin, Cout]` is the memory of `[1, 1, Cin, Cout]`).
 * @param x NHWC int8. @param filter `[KH, KW, Cin, Cout]` int8, symmetric (zero point 0).
 * @param bias `[Cout]` int32 with scale `inputScale · weightScales[o]`, or undefined.
 * @param r from `convRequantization`.
 * Legend: b batch, oy/ox output row/column, ky/kx kernel tap, c input channel, o output channel.
 */
export function referenceQuantizedConv2d(
  x: Int8Array,
  filter: Int8Array,
  bias: Int32Array | undefined,
  g: Conv2dGeometry,
  r: ConvRequantization,
): Int8Array {
  const out = new Int8Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        for (let o = 0; o < g.outChannels; o++) {
          let acc = 0;
          for (let ky = 0; ky < g.kernelHeight; ky++) {
            const iy = oy * g.strideHeight - g.padTop + ky * g.dilationHeight;
            if (iy < 0 || iy >= g.inHeight) continue;
            for (let kx = 0; kx < g.kernelWidth; kx++) {
              const ix = ox * g.strideWidth - g.padLeft + kx * g.dilationWidth;
              if (ix < 0 || ix >= g.inWidth) continue;
              for (let c = 0; c < g.inChannels; c++) {
                const xValue = x[((b * g.inHeight + iy) * g.inWidth + ix) * g.inChannels + c]! - r.inputZeroPoint;
                const wValue = filter[((ky * g.kernelWidth + kx) * g.inChannels + c) * g.outChannels + o]!;
                acc = (acc + xValue * wValue) | 0;
              }
            }
          }
          if (bias) acc = (acc + bias[o]!) | 0;
          out[((b * g.outHeight + oy) * g.outWidth + ox) * g.outChannels + o] = requantize(acc, o, r);
        }
      }
    }
  }
  return out;
}

/** `clamp(outputZeroPoint + MBQM(acc, M[o]), activationMin, activationMax)`: the epilogue of every int8 convolution. */
export function requantize(acc: number, o: number, r: ConvRequantization): number {
  const value = r.outputZeroPoint + multiplyByQuantizedMultiplier(acc, r.multipliers[o]!, r.shifts[o]!);
  return value < r.activationMin ? r.activationMin : value > r.activationMax ? r.activationMax : value;
}
