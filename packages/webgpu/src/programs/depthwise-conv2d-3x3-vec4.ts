import type { Conv2dGeometry } from '@sepconv/tensor';
import { wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { ACTIVATION_CODES } from '../wgsl-activation.js';
import { wgslRowBlockIndex } from '../wgsl-row-block-index.js';
import { DEPTHWISE_VEC4_WORKGROUP_SIZE } from './depthwise-conv2d-vec4.js';
import { flatProgram } from './flat-program.js';
import { floatConvPreamble } from './float-conv-preamble.js';

/**
 * Output columns per invocation. A row of 8 outputs at stride 1 reads 10 input columns per
 * tap row (1.25 loads per output instead of 3); loads, not arithmetic, bound SwiftShader,
 * which gathers every lane's address separately. Measured there (56×56×128): 8 columns about
 * 1.7× faster than 4; 16 no better than 8 and twice the registers.
 */
export const DEPTHWISE_3X3_COLUMNS = 8;

/** The strides the 3×3 specialisations are compiled for: MobileNet's two. */
export type Depthwise3x3Stride = 1 | 2;

/** Variant name of {@link depthwiseConv2d3x3Vec4Program} for a stride. */
export function depthwise3x3Vec4Name(stride: Depthwise3x3Stride): string {
  return `dwconv2d-nhwc-3x3s${stride}-vec4-f32`;
}

const UNIFORMS = [
  'total',
  'inHeight',
  'inWidth',
  'channelGroups',
  'outHeight',
  'outWidth',
  'columnBlocks',
  'padTop',
  'padLeft',
  'activation',
  'hasBias',
] as const;

/** True for 3×3, dilation 1, this stride on both axes, multiplier 1 and channels a multiple of 4. */
export function supportsDepthwise3x3Vec4(stride: Depthwise3x3Stride): (g: Conv2dGeometry) => boolean {
  return (g) =>
    g.kind === 'depthwiseConv2d' &&
    g.kernelHeight === 3 &&
    g.kernelWidth === 3 &&
    g.dilationHeight === 1 &&
    g.dilationWidth === 1 &&
    g.strideHeight === stride &&
    g.strideWidth === stride &&
    g.channelMultiplier === 1 &&
    g.inChannels % 4 === 0;
}

/**
 * MobileNet's depthwise layer (3×3, stride 1 or 2) specialised: each invocation computes 8
 * neighbouring outputs of a row × 4 channels, loading each input row segment once into
 * registers (10 `vec4` at stride 1, 17 at stride 2, instead of 24) and the 3 weights of the
 * row once. Taps, strides and segment length are constants, so the compiler unrolls
 * everything; no workgroup memory, no barrier.
 * Bindings: x NHWC, weights `[3, 3, C, 1]`, bias `[C]` (a placeholder when `hasBias` is 0), y NHWC; all as `vec4`.
 */
export function depthwiseConv2d3x3Vec4Program(g: Conv2dGeometry, stride: Depthwise3x3Stride): GpuProgram {
  const name = depthwise3x3Vec4Name(stride);
  const columns = DEPTHWISE_3X3_COLUMNS;
  const segment = (columns - 1) * stride + 3;
  const channelGroups = g.inChannels / 4;
  const columnBlocks = Math.ceil(g.outWidth / columns);
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
    name,
    workgroupSize: size,
    invocations: total,
    preamble: floatConvPreamble(UNIFORMS, vec),
    values,
    body: () => `// Legend: b batch, oy output row, ox0 first output column of the block, group channel
// group of 4, ky tap row, i position in the row segment, j output column in the block.
${wgslComputeMain(size)}
${wgslRowBlockIndex(size, 'channelGroups', columns)}
  let ixBase = ox0 * ${stride} - params.padLeft;
  var acc: array<vec4<f32>, ${columns}>;
  for (var ky = 0; ky < 3; ky++) {
    let iy = oy * ${stride} - params.padTop + ky;
    if (iy < 0 || iy >= params.inHeight) { continue; }
    let rowBase = (b * params.inHeight + iy) * params.inWidth;
    var row: array<vec4<f32>, ${segment}>;
    for (var i = 0; i < ${segment}; i++) {
      let ix = ixBase + i;
      if (ix >= 0 && ix < params.inWidth) { row[i] = x[(rowBase + ix) * params.channelGroups + group]; }
    }
    let w0 = weights[(ky * 3) * params.channelGroups + group];
    let w1 = weights[(ky * 3 + 1) * params.channelGroups + group];
    let w2 = weights[(ky * 3 + 2) * params.channelGroups + group];
    for (var j = 0; j < ${columns}; j++) {
      acc[j] = acc[j] + row[j * ${stride}] * w0 + row[j * ${stride} + 1] * w1 + row[j * ${stride} + 2] * w2;
    }
  }
  var bias4 = vec4<f32>(0.0);
  if (params.hasBias != 0) { bias4 = bias[group]; }
  let outBase = (b * params.outHeight + oy) * params.outWidth;
  for (var j = 0; j < ${columns}; j++) {
    if (ox0 + j < params.outWidth) {
      y[(outBase + ox0 + j) * params.channelGroups + group] = activate(acc[j] + bias4, params.activation);
    }
  }
}
`,
  });
}
