import type { Conv2dGeometry, KernelName, SeparableConv2dGeometry } from '@sepconv/tensor';
import type { GpuProgram } from './gpu-program.js';
import { conv2dImplicitGemmProgram, CONV2D_IMPLICIT_GEMM_NAME, POINTWISE_IMPLICIT_GEMM_NAME } from './programs/conv2d-implicit-gemm.js';
import {
  CONV2D_SCALAR_INPUT_NAME,
  CONV2D_VEC4_NAME,
  conv2dVec4Program,
  supportsConv2dScalarInput,
  supportsConv2dVec4,
} from './programs/conv2d-vec4.js';
import { DEPTHWISE_GENERIC_NAME, depthwiseConv2dGenericProgram } from './programs/depthwise-conv2d-generic.js';
import { DEPTHWISE_TILED_C4_NAME, depthwiseConv2dTiledC4Program, supportsDepthwiseTiledC4 } from './programs/depthwise-conv2d-tiled-c4.js';
import { depthwise3x3Vec4Name, depthwiseConv2d3x3Vec4Program, supportsDepthwise3x3Vec4 } from './programs/depthwise-conv2d-3x3-vec4.js';
import { DEPTHWISE_VEC4_NAME, depthwiseConv2dVec4Program, supportsDepthwiseVec4 } from './programs/depthwise-conv2d-vec4.js';
import {
  POINTWISE_VEC4_NAME,
  POINTWISE_VEC4_TALL_ROWS,
  pointwiseConv2dVec4Program,
  pointwiseVec4Name,
  supportsPointwiseVec4,
} from './programs/pointwise-conv2d-vec4.js';
import { POINTWISE_GEMM_NAME, pointwiseConv2dGemmProgram, supportsPointwiseGemm } from './programs/pointwise-conv2d-gemm.js';
import { gemmTileMostlyFilled } from './programs/tiled-gemm.js';
import { SEPARABLE_FUSED_NAME, separableConv2dFusedProgram } from './programs/separable-conv2d-fused.js';

/** A single-step convolution variant: one program per call. */
export interface WebGpuConvVariant {
  readonly name: string;
  readonly op: Exclude<KernelName, 'separableConv2d'>;
  supports(geometry: Conv2dGeometry): boolean;
  program(geometry: Conv2dGeometry): GpuProgram;
  /**
   * Whether `program` binds `options.residual` (after the bias input) and adds it before the
   * activation when `geometry.hasResidual`. Other rows still take a residual: the kernel runs
   * them without the activation, then one broadcast-add dispatch (src/kernels.ts addResidual).
   */
  readonly fusesResidual?: boolean;
}

/**
 * A separable convolution variant: one fused program, or (`program` absent) the depthwise
 * step then the pointwise step, each through normal dispatch.
 */
export interface WebGpuSeparableVariant {
  readonly name: string;
  readonly op: 'separableConv2d';
  supports(geometry: SeparableConv2dGeometry): boolean;
  program?(geometry: SeparableConv2dGeometry): GpuProgram;
}

/** One kernel variant of the WebGPU backend (a `KernelVariant` of `@sepconv/tensor` with its program). */
export type WebGpuVariant = WebGpuConvVariant | WebGpuSeparableVariant;

/** Name of the separable variant that runs depthwise then pointwise as two dispatches. */
export const SEPARABLE_TWO_PASS_NAME = 'sepconv2d-nhwc-twopass-f32';

/**
 * Every kernel variant of the WebGPU backend, in dispatch order: for each op the first
 * variant whose `supports` accepts the geometry runs it (`selectVariant` of `@sepconv/tensor`).
 * A new variant is one row here and the program it names. The conformance suite forces each
 * one, and the benchmark reads the same list.
 */
export const webGpuVariants: readonly WebGpuVariant[] = [
  // Barrier-free vec4 variants first: fastest measured on SwiftShader (see README), where a
  // workgroup barrier costs a coroutine switch per SIMD group.
  ...([1, 2] as const).map((stride): WebGpuConvVariant => ({
    name: depthwise3x3Vec4Name(stride),
    op: 'depthwiseConv2d',
    supports: supportsDepthwise3x3Vec4(stride),
    program: (g) => depthwiseConv2d3x3Vec4Program(g, stride),
  })),
  { name: DEPTHWISE_VEC4_NAME, op: 'depthwiseConv2d', supports: supportsDepthwiseVec4, program: depthwiseConv2dVec4Program },
  {
    name: DEPTHWISE_TILED_C4_NAME,
    op: 'depthwiseConv2d',
    supports: supportsDepthwiseTiledC4,
    program: depthwiseConv2dTiledC4Program,
  },
  { name: DEPTHWISE_GENERIC_NAME, op: 'depthwiseConv2d', supports: () => true, program: depthwiseConv2dGenericProgram },
  // The 8×4 block first: per output it reads each weight vec4 half as often as the 4×4 (12
  // loads per 32 vec4 multiply-adds against 8 per 16), which saves traffic on any GPU; it was
  // faster on every MobileNetV1 pointwise shape on SwiftShader. A GPU where the 4×4's twice as
  // many invocations matter more (small layers on wide GPUs) gets it from the tuner.
  {
    name: pointwiseVec4Name(POINTWISE_VEC4_TALL_ROWS),
    op: 'pointwiseConv2d',
    supports: supportsPointwiseVec4,
    program: (g) => pointwiseConv2dVec4Program(g, POINTWISE_VEC4_TALL_ROWS),
    fusesResidual: true,
  },
  { name: POINTWISE_VEC4_NAME, op: 'pointwiseConv2d', supports: supportsPointwiseVec4, program: pointwiseConv2dVec4Program, fusesResidual: true },
  { name: POINTWISE_GEMM_NAME, op: 'pointwiseConv2d', supports: supportsPointwiseGemm, program: pointwiseConv2dGemmProgram },
  {
    name: POINTWISE_IMPLICIT_GEMM_NAME,
    op: 'pointwiseConv2d',
    // The catch-all, except on mostly-padding tiles the register-blocked kernel runs (a
    // one-pixel classifier: see gemmTileMostlyFilled), which a tuner would otherwise time.
    supports: (g) => gemmTileMostlyFilled(g.batch * g.outHeight * g.outWidth) || !supportsPointwiseVec4(g),
    program: (g) => conv2dImplicitGemmProgram(g, POINTWISE_IMPLICIT_GEMM_NAME),
  },
  { name: CONV2D_VEC4_NAME, op: 'conv2d', supports: supportsConv2dVec4, program: (g) => conv2dVec4Program(g) },
  // Before the implicit GEMM for a 3-channel stem on any GPU: no tile padding (see conv2dVec4Program).
  {
    name: CONV2D_SCALAR_INPUT_NAME,
    op: 'conv2d',
    supports: supportsConv2dScalarInput,
    program: (g) => conv2dVec4Program(g, CONV2D_SCALAR_INPUT_NAME, false),
  },
  { name: CONV2D_IMPLICIT_GEMM_NAME, op: 'conv2d', supports: () => true, program: (g) => conv2dImplicitGemmProgram(g) },
  // Two passes through the vec4 kernels beat the fused GEMM on SwiftShader (its A tile needs
  // barriers); the fused kernel saves the intermediate's memory traffic where barriers are cheap.
  { name: SEPARABLE_TWO_PASS_NAME, op: 'separableConv2d', supports: () => true },
  { name: SEPARABLE_FUSED_NAME, op: 'separableConv2d', supports: () => true, program: separableConv2dFusedProgram },
];
