import type { Conv2dGeometry } from '@sepconv/tensor';
import { wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { ACTIVATION_CODES } from '../wgsl-activation.js';
import { wgslRowBlockIndex } from '../wgsl-row-block-index.js';
import { CONV_WINDOW_UNIFORMS } from './conv-window-uniforms.js';
import { flatProgram } from './flat-program.js';
import { floatConvPreamble } from './float-conv-preamble.js';

/** 64 invocations: a multiple of every SIMD width, and no barrier, so any size works equally. */
export const DEPTHWISE_VEC4_WORKGROUP_SIZE = 64;

/**
 * Output columns per invocation. Each tap's 4-channel weight is loaded once and used for 4
 * neighbouring outputs; 4 accumulators keep the register count low enough for SwiftShader's
 * 4-wide SIMD and for real GPUs' occupancy alike.
 */
export const DEPTHWISE_VEC4_COLUMNS = 4;

/** The variant name of {@link depthwiseConv2dVec4Program}. */
export const DEPTHWISE_VEC4_NAME = 'dwconv2d-nhwc-vec4-c4x4-f32';

const UNIFORMS = [
  'total',
  'inHeight',
  'inWidth',
  'channelGroups',
  'outHeight',
  'outWidth',
  'columnBlocks',
  ...CONV_WINDOW_UNIFORMS,
  'activation',
  'hasBias',
] as const;

/** True for channel multiplier 1 with a channel count that is a multiple of 4. */
export function supportsDepthwiseVec4(g: Conv2dGeometry): boolean {
  return g.kind === 'depthwiseConv2d' && g.channelMultiplier === 1 && g.inChannels % 4 === 0;
}

/**
 * Depthwise convolution without workgroup memory: each invocation computes 4 neighbouring
 * output pixels of one row × 4 channels (`vec4<f32>` loads, stores and multiply-adds).
 * Barrier-free, which is what software adapters (SwiftShader runs a workgroup's barrier as a
 * coroutine switch per SIMD group) need, and what the tiled variant trades for staged reuse.
 * Bindings: x NHWC, weights `[KH, KW, C, 1]`, bias `[C]` (a placeholder when `hasBias` is 0), y NHWC; all as `vec4`.
 */
export function depthwiseConv2dVec4Program(g: Conv2dGeometry): GpuProgram {
  const channelGroups = g.inChannels / 4;
  const columnBlocks = Math.ceil(g.outWidth / DEPTHWISE_VEC4_COLUMNS);
  const total = g.batch * g.outHeight * columnBlocks * channelGroups;
  const values: Record<(typeof UNIFORMS)[number], number> = {
    ...g,
    total,
    channelGroups,
    columnBlocks,
    activation: ACTIVATION_CODES[g.activation],
    hasBias: g.hasBias ? 1 : 0,
  };
  const vec = 'vec4<f32>';
  const size = DEPTHWISE_VEC4_WORKGROUP_SIZE;
  return flatProgram({
    name: DEPTHWISE_VEC4_NAME,
    workgroupSize: size,
    invocations: total,
    preamble: floatConvPreamble(UNIFORMS, vec),
    values,
    body: () => `// Legend: b batch, oy output row, ox0 first of the invocation's output columns, group
// channel group of 4, ky/kx tap, j column within the block.
${wgslComputeMain(size)}
${wgslRowBlockIndex(size, 'channelGroups', DEPTHWISE_VEC4_COLUMNS)}
  var acc: array<vec4<f32>, ${DEPTHWISE_VEC4_COLUMNS}>;
  for (var ky = 0; ky < params.kernelHeight; ky++) {
    let iy = oy * params.strideHeight - params.padTop + ky * params.dilationHeight;
    if (iy < 0 || iy >= params.inHeight) { continue; }
    let rowBase = (b * params.inHeight + iy) * params.inWidth;
    for (var kx = 0; kx < params.kernelWidth; kx++) {
      let w = weights[(ky * params.kernelWidth + kx) * params.channelGroups + group];
      let ix0 = ox0 * params.strideWidth - params.padLeft + kx * params.dilationWidth;
      for (var j = 0; j < ${DEPTHWISE_VEC4_COLUMNS}; j++) {
        let ix = ix0 + j * params.strideWidth;
        if (ix >= 0 && ix < params.inWidth) {
          acc[j] = acc[j] + x[(rowBase + ix) * params.channelGroups + group] * w;
        }
      }
    }
  }
  var bias4 = vec4<f32>(0.0);
  if (params.hasBias != 0) { bias4 = bias[group]; }
  let outBase = (b * params.outHeight + oy) * params.outWidth;
  for (var j = 0; j < ${DEPTHWISE_VEC4_COLUMNS}; j++) {
    if (ox0 + j < params.outWidth) {
      y[(outBase + ox0 + j) * params.channelGroups + group] = activate(acc[j] + bias4, params.activation);
    }
  }
}
`,
  });
}
