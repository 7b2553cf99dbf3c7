import type { Conv2dGeometry, ConvRequantization } from '@sepconv/tensor';

import type { GpuProgram } from '../gpu-program.js';
import { CHANNEL_RECORD } from '../pack-quantized-conv-weights.js';
import { WGSL_FIXED_POINT, wgslInt8Load, wgslInt8WordMain } from '../wgsl-int8.js';
import { CONV_WINDOW_UNIFORMS } from './conv-window-uniforms.js';
import { flatProgram } from './flat-program.js';

/** 64 invocations, one output word each, no barrier: as the float element-wise programs. */
export const QUANTIZED_CONV_GENERIC_WORKGROUP_SIZE = 64;

const UNIFORMS = [
  'total',
  'words',
  'inHeight',
  'inWidth',
  'inChannels',
  'outHeight',
  'outWidth',
  'outChannels',
  ...CONV_WINDOW_UNIFORMS,
  'groupIn',
  'groupOut',
  'inputZeroPoint',
  'outputZeroPoint',
  'activationMin',
  'activationMax',
] as const;

/** The int8 requantization facts a convolution program takes as uniforms. */
export type QuantizedConvEpilogue = Pick<ConvRequantization, 'inputZeroPoint' | 'outputZeroPoint' | 'activationMin' | 'activationMax'>;

/**
 * Int8 convolution of any kind and channel count (conv2d, depthwise with any multiplier,
 * pointwise with strides or padding): each invocation computes one output word, 4 consecutive
 * NHWC elements, each `clamp(outZp + MBQM(bias + Σ w · (x − inZp)), min, max)` over the taps
 * inside the input (padding is real 0, the zero point: no term). Output channel `o` reads input
 * channels `⌊o / groupOut⌋ · groupIn …` (`groupIn` = inChannels and `groupOut` = outChannels for
 * conv2d, 1 and the multiplier for depthwise). The fallback of every int8 convolution.
 * Bindings: x packed int8 NHWC, weights one i32 per weight `[outChannels][KH][KW][groupIn]`,
 * channels `[outChannels][4]` records (`pack-quantized-conv-weights.ts`), y packed int8.
 */
export function quantizedConv2dGenericProgram(name: string, g: Conv2dGeometry, r: QuantizedConvEpilogue): GpuProgram {
  const total = g.batch * g.outHeight * g.outWidth * g.outChannels;
  const depthwise = g.kind === 'depthwiseConv2d';
  const values: Record<(typeof UNIFORMS)[number], number> = {
    ...g,
    ...r,
    total,
    words: Math.ceil(total / 4),
    groupIn: depthwise ? 1 : g.inChannels,
    groupOut: depthwise ? g.channelMultiplier : g.outChannels,
  };
  const inputs = ['x', 'weights', 'channels'];
  const size = QUANTIZED_CONV_GENERIC_WORKGROUP_SIZE;
  return flatProgram({
    name,
    workgroupSize: size,
    invocations: values.words,
    preamble: {
      inputs,
      uniforms: UNIFORMS,
      elementTypes: { x: 'u32', weights: 'i32', channels: 'i32', y: 'u32' },
      functions: [wgslInt8Load('x'), WGSL_FIXED_POINT],
    },
    values,
    body: () => `// Legend: o output channel, b batch, oy/ox output position, ky/kx tap, gi input channel within o's group.
fn element(i: i32) -> i32 {
  let o = i % params.outChannels;
  var rest = i / params.outChannels;
  let ox = rest % params.outWidth;
  rest = rest / params.outWidth;
  let oy = rest % params.outHeight;
  let b = rest / params.outHeight;
  let firstIn = (o / params.groupOut) * params.groupIn;
  var acc = 0;
  for (var ky = 0; ky < params.kernelHeight; ky++) {
    let iy = oy * params.strideHeight - params.padTop + ky * params.dilationHeight;
    if (iy < 0 || iy >= params.inHeight) { continue; }
    for (var kx = 0; kx < params.kernelWidth; kx++) {
      let ix = ox * params.strideWidth - params.padLeft + kx * params.dilationWidth;
      if (ix < 0 || ix >= params.inWidth) { continue; }
      let xBase = ((b * params.inHeight + iy) * params.inWidth + ix) * params.inChannels + firstIn;
      let wBase = ((o * params.kernelHeight + ky) * params.kernelWidth + kx) * params.groupIn;
      for (var gi = 0; gi < params.groupIn; gi++) {
        acc = acc + weights[wBase + gi] * (load_x(xBase + gi) - params.inputZeroPoint);
      }
    }
  }
  let record = o * ${CHANNEL_RECORD};
  acc = acc + channels[record + 1];
  let value = params.outputZeroPoint + mbqm(acc, channels[record + 2], channels[record + 3]);
  return clamp(value, params.activationMin, params.activationMax);
}

${wgslInt8WordMain(size)}
`,
  });
}
