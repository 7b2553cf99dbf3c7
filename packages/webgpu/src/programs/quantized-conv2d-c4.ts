import type { Conv2dGeometry } from '@sepconv/tensor';
import { wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { CHANNEL_RECORD } from '../pack-quantized-conv-weights.js';
import { int8ConvPreamble, wgslInt8Dot } from '../wgsl-int8.js';
import { wgslPixelIndex } from '../wgsl-output-index.js';
import { CONV_WINDOW_UNIFORMS } from './conv-window-uniforms.js';
import { flatProgram } from './flat-program.js';
import type { QuantizedConvEpilogue } from './quantized-conv2d-generic.js';

/** 64 invocations, no barrier (each reads its own input words): as the float vec4 programs. */
export const QUANTIZED_CONV_C4_WORKGROUP_SIZE = 64;

const UNIFORMS = [
  'total',
  'inHeight',
  'inWidth',
  'inGroups',
  'outHeight',
  'outWidth',
  'outGroups',
  ...CONV_WINDOW_UNIFORMS,
  'zeroPointWord',
  'outputZeroPoint',
  'activationMin',
  'activationMax',
] as const;

/** True for conv2d or pointwise with input and output channels multiples of 4 (whole words per pixel). */
export function supportsQuantizedConvC4(g: Conv2dGeometry): boolean {
  return g.kind !== 'depthwiseConv2d' && g.inChannels % 4 === 0 && g.outChannels % 4 === 0;
}

/** The input zero point in all 4 bytes of a word: a padded pixel's input word. */
export function zeroPointWord(zeroPoint: number): number {
  return ((zeroPoint & 0xff) * 0x01010101) | 0;
}

/**
 * Int8 conv2d / pointwise over whole words: each invocation computes 4 output channels of one
 * pixel (one output word); per tap and per 4 input channels it reads one input word and 4 weight
 * words and adds 4 four-term dot products of raw int8 values — `dot4I8Packed` where WGSL has the
 * `packed_4x8_integer_dot_product` feature (`packedDot`), the same sum from unpacked lanes
 * otherwise (bit-identical: integer sums). The input zero point is folded into the bias at
 * packing (`bias − inZp · Σw`), so a padded pixel reads a word of zero points and contributes 0.
 * Bindings: x packed int8 NHWC, weights words `[outChannels][KH][KW][inChannels / 4]`, channels
 * `[outChannels][4]` records, y packed int8.
 */
export function quantizedConv2dC4Program(name: string, g: Conv2dGeometry, r: QuantizedConvEpilogue, packedDot: boolean): GpuProgram {
  const outGroups = g.outChannels / 4;
  const total = g.batch * g.outHeight * g.outWidth * outGroups;
  const values: Record<(typeof UNIFORMS)[number], number> = {
    ...g,
    ...r,
    total,
    inGroups: g.inChannels / 4,
    outGroups,
    zeroPointWord: zeroPointWord(r.inputZeroPoint),
  };
  const size = QUANTIZED_CONV_C4_WORKGROUP_SIZE;
  return flatProgram({
    name,
    workgroupSize: size,
    invocations: total,
    preamble: int8ConvPreamble(UNIFORMS, packedDot),
    values,
    body: () => `// Legend: og output channel group of 4, b batch, oy/ox output position, ky/kx tap, q input word, lane output channel within the group.
${wgslComputeMain(size)}
${wgslPixelIndex(size, 'og', 'outGroups')}
  let taps = params.kernelHeight * params.kernelWidth;
  let laneStride = taps * params.inGroups;
  var acc = vec4<i32>(0);
  for (var ky = 0; ky < params.kernelHeight; ky++) {
    let iy = oy * params.strideHeight - params.padTop + ky * params.dilationHeight;
    for (var kx = 0; kx < params.kernelWidth; kx++) {
      let ix = ox * params.strideWidth - params.padLeft + kx * params.dilationWidth;
      let inside = iy >= 0 && iy < params.inHeight && ix >= 0 && ix < params.inWidth;
      let xBase = ((b * params.inHeight + iy) * params.inWidth + ix) * params.inGroups;
      let wBase = (og * 4 * taps + ky * params.kernelWidth + kx) * params.inGroups;
      for (var q = 0; q < params.inGroups; q++) {
        var xw = bitcast<u32>(params.zeroPointWord);
        if (inside) { xw = x[xBase + q]; }
        for (var lane = 0; lane < 4; lane++) {
          let ww = weights[wBase + lane * laneStride + q];
          acc[lane] = acc[lane] + ${wgslInt8Dot('xw', 'ww', packedDot)};
        }
      }
    }
  }
  var packed = 0u;
  for (var lane = 0; lane < 4; lane++) {
    let record = (og * 4 + lane) * ${CHANNEL_RECORD};
    let value = params.outputZeroPoint + mbqm(acc[lane] + channels[record], channels[record + 2], channels[record + 3]);
    let clamped = clamp(value, params.activationMin, params.activationMax);
    packed = packed | ((bitcast<u32>(clamped) & 0xffu) << (u32(lane) * 8u));
  }
  y[index] = packed;
}
`,
  });
}
