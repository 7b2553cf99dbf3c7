import type { Conv2dGeometry } from '@sepconv/tensor';
import { wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { ACTIVATION_CODES } from '../wgsl-activation.js';
import { wgslRowBlockIndex } from '../wgsl-row-block-index.js';
import { CONV_WINDOW_UNIFORMS } from './conv-window-uniforms.js';
import { flatProgram } from './flat-program.js';
import { floatConvPreamble } from './float-conv-preamble.js';

/** 64 invocations; barrier-free, so the size only needs to fill the SIMD lanes. */
export const CONV2D_VEC4_WORKGROUP_SIZE = 64;

/** Output columns per invocation: each weight `vec4` is loaded once for 4 outputs. */
export const CONV2D_VEC4_COLUMNS = 4;

/** The variant name of {@link conv2dVec4Program}. */
export const CONV2D_VEC4_NAME = 'conv2d-nhwc-direct-vec4-4x4-f32';

const UNIFORMS = [
  'total',
  'inHeight',
  'inWidth',
  'inGroups',
  'outHeight',
  'outWidth',
  'columnBlocks',
  'outGroups',
  ...CONV_WINDOW_UNIFORMS,
  'activation',
  'hasBias',
] as const;

/** The variant name of {@link conv2dVec4Program} reading input channels one at a time. */
export const CONV2D_SCALAR_INPUT_NAME = 'conv2d-nhwc-direct-c1x4-f32';

/** True for convolutions whose input and output channels are multiples of 4. */
export function supportsConv2dVec4(g: Conv2dGeometry): boolean {
  return g.inChannels % 4 === 0 && g.outChannels % 4 === 0;
}

/** True for convolutions whose output channels are a multiple of 4 (any input channels: a 3-channel image stem). */
export function supportsConv2dScalarInput(g: Conv2dGeometry): boolean {
  return g.outChannels % 4 === 0;
}

/** WGSL of the tap's inner loop: 4 input channels a step as `vec4`, or 1 as `f32` (`vectorInput` false). */
function channelLoop(vectorInput: boolean, columns: number): string {
  if (!vectorInput) {
    return `      for (var c = 0; c < params.inGroups; c++) {
        let w = weights[(tapBase + c) * params.outGroups + group];
        for (var j = 0; j < ${columns}; j++) {
          if (pixel[j] >= 0) { acc[j] = acc[j] + x[pixel[j] + c] * w; }
        }
      }`;
  }
  return `      for (var c4 = 0; c4 < params.inGroups; c4++) {
        let row = (tapBase + c4 * 4) * params.outGroups + group;
        let w0 = weights[row];
        let w1 = weights[row + params.outGroups];
        let w2 = weights[row + 2 * params.outGroups];
        let w3 = weights[row + 3 * params.outGroups];
        for (var j = 0; j < ${columns}; j++) {
          if (pixel[j] >= 0) {
            let a = x[pixel[j] + c4];
            acc[j] = acc[j] + a.x * w0 + a.y * w1 + a.z * w2 + a.w * w3;
          }
        }
      }`;
}

/**
 * Direct convolution without workgroup memory, register-blocked like the pointwise vec4
 * kernel: each invocation computes 4 neighbouring output pixels of a row × 4 output
 * channels, walking taps and 4 input channels at a time — 4 `vec4` input loads and 4 `vec4`
 * weight loads feed 16 `vec4` multiply-adds. No barrier, which software adapters need.
 * With `vectorInput` false it reads one input channel a step (x as `f32`), for a stem whose
 * 3 input channels rule out `vec4` loads: the alternative, the implicit GEMM, pads its 64×64
 * tile's K to 16s and N to 64s (a 32-channel stem: half its multiply-adds on padding) and
 * synchronises at barriers.
 * Bindings: x NHWC, weights `[KH, KW, Cin, Cout]`, bias `[Cout]` (a placeholder when
 * `hasBias` is 0), y NHWC; all as `vec4` (x as `f32` where `vectorInput` is false).
 */
export function conv2dVec4Program(g: Conv2dGeometry, name: string = CONV2D_VEC4_NAME, vectorInput = true): GpuProgram {
  const outGroups = g.outChannels / 4;
  const columnBlocks = Math.ceil(g.outWidth / CONV2D_VEC4_COLUMNS);
  const total = g.batch * g.outHeight * columnBlocks * outGroups;
  const values: Record<(typeof UNIFORMS)[number], number> = {
    ...g,
    total,
    columnBlocks,
    outGroups,
    // Input elements per pixel as the shader indexes x: vec4 groups, or channels.
    inGroups: vectorInput ? g.inChannels / 4 : g.inChannels,
    activation: ACTIVATION_CODES[g.activation],
    hasBias: g.hasBias ? 1 : 0,
  };
  const vec = 'vec4<f32>';
  const size = CONV2D_VEC4_WORKGROUP_SIZE;
  const columns = CONV2D_VEC4_COLUMNS;
  return flatProgram({
    name,
    workgroupSize: size,
    invocations: total,
    preamble: floatConvPreamble(UNIFORMS, vec, vectorInput ? vec : 'f32'),
    values,
    body: () => `// Legend: b batch, oy output row, ox0 first output column of the block, group output channel
// group of 4, ky/kx tap, c4 input channel group of 4 (c one channel), j output column in the block.
${wgslComputeMain(size)}
${wgslRowBlockIndex(size, 'outGroups', columns)}
  var acc: array<vec4<f32>, ${columns}>;
  for (var ky = 0; ky < params.kernelHeight; ky++) {
    let iy = oy * params.strideHeight - params.padTop + ky * params.dilationHeight;
    if (iy < 0 || iy >= params.inHeight) { continue; }
    let rowBase = (b * params.inHeight + iy) * params.inWidth;
    for (var kx = 0; kx < params.kernelWidth; kx++) {
      let ix0 = ox0 * params.strideWidth - params.padLeft + kx * params.dilationWidth;
      var pixel: array<i32, ${columns}>;
      for (var j = 0; j < ${columns}; j++) {
        let ix = ix0 + j * params.strideWidth;
        pixel[j] = select(-1, (rowBase + ix) * params.inGroups, ix >= 0 && ix < params.inWidth);
      }
      let tapBase = (ky * params.kernelWidth + kx) * params.inGroups${vectorInput ? ' * 4' : ''};
${channelLoop(vectorInput, columns)}
    }
  }
  var bias4 = vec4<f32>(0.0);
  if (params.hasBias != 0) { bias4 = bias[group]; }
  let outBase = (b * params.outHeight + oy) * params.outWidth;
  for (var j = 0; j < ${columns}; j++) {
    if (ox0 + j < params.outWidth) {
      y[(outBase + ox0 + j) * params.outGroups + group] = activate(acc[j] + bias4, params.activation);
    }
  }
}
`,
  });
}
