import type { Conv2dGeometry } from '@sepconv/tensor';
import { WGSL_WORKGROUP_INDEX, wgslComputeMain } from '../dispatch-grid.js';
import type { GpuProgram } from '../gpu-program.js';
import { ACTIVATION_CODES } from '../wgsl-activation.js';
import { readsInputAsMatrix } from './pointwise-conv2d-gemm.js';
import { flatProgram } from './flat-program.js';
import { floatConvPreamble } from './float-conv-preamble.js';

/** 64 invocations per workgroup; no barrier, so the size only needs to fill the SIMD lanes. */
export const POINTWISE_VEC4_WORKGROUP_SIZE = 64;

/**
 * Rows of C (output pixels) per invocation of the default variant, times one `vec4` of output
 * channels: a 4×4 register block, 16 multiply-adds of `vec4` per 8 `vec4` loads along K.
 */
export const POINTWISE_VEC4_ROWS = 4;

/**
 * Rows per invocation of the taller variant: an 8×4 block, 32 multiply-adds of `vec4` per 12
 * loads along K, so each weight `vec4` is read half as often per output — less traffic on
 * any GPU, at 8 more `vec4` registers and half as many invocations to spread the layer over.
 */
export const POINTWISE_VEC4_TALL_ROWS = 8;

/** The variant name of {@link pointwiseConv2dVec4Program} with `rows` rows per invocation. */
export function pointwiseVec4Name(rows: number): string {
  return `pwconv2d-nhwc-gemm-vec4-${rows}x4-f32`;
}

/** The variant name of {@link pointwiseConv2dVec4Program} with the default {@link POINTWISE_VEC4_ROWS}. */
export const POINTWISE_VEC4_NAME = pointwiseVec4Name(POINTWISE_VEC4_ROWS);

const UNIFORMS = ['total', 'M', 'K4', 'N4', 'activation', 'hasBias'] as const;

/** True for stride-1, unpadded 1×1 convolutions whose input and output channels are multiples of 4. */
export function supportsPointwiseVec4(g: Conv2dGeometry): boolean {
  return readsInputAsMatrix(g) && g.inChannels % 4 === 0 && g.outChannels % 4 === 0;
}

/**
 * Pointwise convolution as a register-blocked matrix product `[N·H·W, Cin] × [Cin, Cout]`
 * without workgroup memory: each invocation owns `rows` output pixels × 4 output channels and
 * walks K four channels at a time, reading A rows and B rows as `vec4`. Neighbouring
 * invocations share A rows (broadcast) and read adjacent B columns (coalesced), so caches
 * do the staging that workgroup memory and barriers would — the fast path on software
 * adapters and competitive with the tiled GEMM at MobileNet sizes.
 * Bindings: x NHWC, weights `[Cin, Cout]`, bias `[Cout]` (a placeholder when `hasBias` is 0),
 * `residual` (the output's shape, only when `g.hasResidual`: added after the bias, before the
 * activation), y NHWC; all as `vec4`.
 */
export function pointwiseConv2dVec4Program(g: Conv2dGeometry, rows: number = POINTWISE_VEC4_ROWS): GpuProgram {
  // With a residual, one more binding (after bias) and one more load per stored vec4: a
  // compile-time fact, so in the cache key.
  const m = g.batch * g.outHeight * g.outWidth;
  const n4 = g.outChannels / 4;
  const total = Math.ceil(m / rows) * n4;
  const values: Record<(typeof UNIFORMS)[number], number> = {
    total,
    M: m,
    K4: g.inChannels / 4,
    N4: n4,
    activation: ACTIVATION_CODES[g.activation],
    hasBias: g.hasBias ? 1 : 0,
  };
  const vec = 'vec4<f32>';
  const size = POINTWISE_VEC4_WORKGROUP_SIZE;
  const name = pointwiseVec4Name(rows);
  const plain = floatConvPreamble(UNIFORMS, vec);
  const residual = g.hasResidual ? ` + residual[(row0 + r) * params.N4 + n4]` : '';
  return flatProgram({
    name,
    cacheKey: g.hasResidual ? `${name}+residual` : name,
    workgroupSize: size,
    invocations: total,
    preamble: g.hasResidual ? { ...plain, inputs: [...plain.inputs, 'residual'], elementTypes: { ...plain.elementTypes, residual: vec } } : plain,
    values,
    body: () => `// Legend: row0 first output pixel of the block, n4 output channel group, k4 input channel
// group, r row within the block. Rows past M read the last row (clamped) and are not stored.
${wgslComputeMain(size)}
  let index = ${WGSL_WORKGROUP_INDEX} * ${size} + i32(local);
  if (index >= params.total) { return; }
  let n4 = index % params.N4;
  let row0 = (index / params.N4) * ${rows};
  var rowOffsets: array<i32, ${rows}>;
  for (var r = 0; r < ${rows}; r++) { rowOffsets[r] = min(row0 + r, params.M - 1) * params.K4; }
  var acc: array<vec4<f32>, ${rows}>;
  for (var k4 = 0; k4 < params.K4; k4++) {
    let b0 = weights[(k4 * 4) * params.N4 + n4];
    let b1 = weights[(k4 * 4 + 1) * params.N4 + n4];
    let b2 = weights[(k4 * 4 + 2) * params.N4 + n4];
    let b3 = weights[(k4 * 4 + 3) * params.N4 + n4];
    for (var r = 0; r < ${rows}; r++) {
      let a = x[rowOffsets[r] + k4];
      acc[r] = acc[r] + a.x * b0 + a.y * b1 + a.z * b2 + a.w * b3;
    }
  }
  var bias4 = vec4<f32>(0.0);
  if (params.hasBias != 0) { bias4 = bias[n4]; }
  for (var r = 0; r < ${rows}; r++) {
    if (row0 + r < params.M) {
      y[(row0 + r) * params.N4 + n4] = activate(acc[r] + bias4${residual}, params.activation);
    }
  }
}
`,
  });
}
