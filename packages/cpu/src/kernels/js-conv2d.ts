import { activate, type Conv2dGeometry } from '@sepconv/tensor';

/**
 * Standard (and pointwise) convolution in plain JavaScript, for runtimes without WebAssembly
 * SIMD. NHWC input at float offset `xOffset` of `x`; filter `[KH, KW, Cin, Cout]` (pointwise
 * `[Cin, Cout]` has the same memory order); output at `yOffset` of `y`. Each output pixel's
 * channels accumulate in place, the filter row `w[ky, kx, c, :]` read contiguously.
 * Legend: b image, oy/ox output position, ky/kx tap, c input channel, o output channel.
 */
export function jsConv2d(
  x: Float32Array,
  xOffset: number,
  filter: Float32Array,
  bias: Float32Array | undefined,
  g: Conv2dGeometry,
  y: Float32Array,
  yOffset: number,
): void {
  const channels = g.inChannels;
  const outChannels = g.outChannels;
  let out = yOffset;
  // Indices in range: the caller sized x, filter, bias and y from this geometry, and iy/ix are clipped to the input below.
  for (let b = 0; b < g.batch; b++) {
    const image = xOffset + b * g.inHeight * g.inWidth * channels;
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++, out += outChannels) {
        for (let o = 0; o < outChannels; o++) y[out + o] = bias ? bias[o]! : 0;
        for (let ky = 0; ky < g.kernelHeight; ky++) {
          const iy = oy * g.strideHeight - g.padTop + ky * g.dilationHeight;
          if (iy < 0 || iy >= g.inHeight) continue;
          for (let kx = 0; kx < g.kernelWidth; kx++) {
            const ix = ox * g.strideWidth - g.padLeft + kx * g.dilationWidth;
            if (ix < 0 || ix >= g.inWidth) continue;
            const pixel = image + (iy * g.inWidth + ix) * channels;
            const taps = (ky * g.kernelWidth + kx) * channels * outChannels;
            for (let c = 0; c < channels; c++) {
              const value = x[pixel + c]!;
              const row = taps + c * outChannels;
              for (let o = 0; o < outChannels; o++) y[out + o]! += value * filter[row + o]!;
            }
          }
        }
        if (g.activation !== 'linear') {
          for (let o = 0; o < outChannels; o++) y[out + o] = activate(y[out + o]!, g.activation);
        }
      }
    }
  }
}
