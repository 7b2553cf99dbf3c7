import type { Conv2dGeometry } from '@sepconv/tensor';
import { wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { CHANNEL_RECORD } from '../pack-quantized-conv-weights.js';
import { int8ConvPreamble } from '../wgsl-int8.js';
import { wgslRowBlockIndex } from '../wgsl-row-block-index.js';
import { CONV_WINDOW_UNIFORMS } from './conv-window-uniforms.js';
import { flatProgram } from './flat-program.js';
import type { QuantizedConvEpilogue } from './quantized-conv2d-generic.js';

/** 64 invocations, no barrier: as the float vec4 depthwise program. */
export const QUANTIZED_DEPTHWISE_C4_WORKGROUP_SIZE = 64;

/**
 * Output columns per invocation: each tap's weight word is unpacked once for 4 neighbouring
 * outputs, as in the float `dwconv2d-nhwc-vec4-c4x4-f32`.
 */
export const QUANTIZED_DEPTHWISE_C4_COLUMNS = 4;

/** The variant name of {@link quantizedDepthwiseConv2dC4Program}. */
export const QUANTIZED_DEPTHWISE_C4_NAME = 'dwconv2d-nhwc-c4x4-qs8';

const UNIFORMS = [
  'total',
  'inHeight',
  'inWidth',
  'channelGroups',
  'outHeight',
  'outWidth',
  'columnBlocks',
  ...CONV_WINDOW_UNIFORMS,
  'inputZeroPoint',
  'outputZeroPoint',
  'activationMin',
  'activationMax',
] as const;

/** True for depthwise with multiplier 1 and a channel count that is a multiple of 4 (whole words per pixel). */
export function supportsQuantizedDepthwiseC4(g: Conv2dGeometry): boolean {
  return g.kind === 'depthwiseConv2d' && g.channelMultiplier === 1 && g.inChannels % 4 === 0;
}

/**
 * Int8 depthwise convolution over whole words: each invocation computes 4 channels of 4
 * neighbouring pixels of one row (4 output words); per tap one weight word, unpacked once, and
 * one input word per pixel, lane by lane
 * (`(x − inZp) · w` in a `vec4<i32>`: a depthwise sum is per channel, so a 4-term dot product
 * does not apply). Bindings: x packed int8 NHWC, weights the filter's own bytes `[KH][KW][C]`,
 * channels `[C][4]` records, y packed int8.
 */
export function quantizedDepthwiseConv2dC4Program(g: Conv2dGeometry, r: QuantizedConvEpilogue): GpuProgram {
  const channelGroups = g.inChannels / 4;
  const columns = QUANTIZED_DEPTHWISE_C4_COLUMNS;
  const columnBlocks = Math.ceil(g.outWidth / columns);
  const total = g.batch * g.outHeight * columnBlocks * channelGroups;
  const values: Record<(typeof UNIFORMS)[number], number> = { ...g, ...r, total, channelGroups, columnBlocks };
  const size = QUANTIZED_DEPTHWISE_C4_WORKGROUP_SIZE;
  return flatProgram({
    name: QUANTIZED_DEPTHWISE_C4_NAME,
    workgroupSize: size,
    invocations: total,
    preamble: int8ConvPreamble(UNIFORMS),
    values,
    body: () => `// Legend: group channel group of 4, b batch, oy output row, ox0 first of the invocation's output columns, ky/kx tap, j column within the block, lane channel within the group.
${wgslComputeMain(size)}
${wgslRowBlockIndex(size, 'channelGroups', columns)}
  var acc: array<vec4<i32>, ${columns}>;
  for (var ky = 0; ky < params.kernelHeight; ky++) {
    let iy = oy * params.strideHeight - params.padTop + ky * params.dilationHeight;
    if (iy < 0 || iy >= params.inHeight) { continue; }
    let rowBase = (b * params.inHeight + iy) * params.inWidth;
    for (var kx = 0; kx < params.kernelWidth; kx++) {
      let wv = unpackInt8(weights[(ky * params.kernelWidth + kx) * params.channelGroups + group]);
      let ix0 = ox0 * params.strideWidth - params.padLeft + kx * params.dilationWidth;
      for (var j = 0; j < ${columns}; j++) {
        let ix = ix0 + j * params.strideWidth;
        if (ix >= 0 && ix < params.inWidth) {
          let xv = unpackInt8(x[(rowBase + ix) * params.channelGroups + group]) - vec4<i32>(params.inputZeroPoint);
          acc[j] = acc[j] + xv * wv;
        }
      }
    }
  }
  let outBase = (b * params.outHeight + oy) * params.outWidth;
  for (var j = 0; j < ${columns}; j++) {
    if (ox0 + j >= params.outWidth) { break; }
    var packed = 0u;
    for (var lane = 0; lane < 4; lane++) {
      let record = (group * 4 + lane) * ${CHANNEL_RECORD};
      let value = params.outputZeroPoint + mbqm(acc[j][lane] + channels[record + 1], channels[record + 2], channels[record + 3]);
      packed = packed | ((bitcast<u32>(clamp(value, params.activationMin, params.activationMax)) & 0xffu) << (u32(lane) * 8u));
    }
    y[(outBase + ox0 + j) * params.channelGroups + group] = packed;
  }
}
`,
  });
}
