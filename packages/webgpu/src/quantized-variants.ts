import type { Conv2dGeometry, SeparableConv2dGeometry } from '@sepconv/tensor';
import type { GpuProgram } from './gpu-program.js';
import type { QuantizedWeightLayout } from './gpu-quantized-weights.js';
import { quantizedConv2dC4Program, supportsQuantizedConvC4 } from './programs/quantized-conv2d-c4.js';
import { quantizedConv2dGenericProgram, type QuantizedConvEpilogue } from './programs/quantized-conv2d-generic.js';
import { quantizedPointwiseConv2dGemm4x4Program, supportsQuantizedPointwiseGemm4x4 } from './programs/quantized-pointwise-conv2d-gemm4x4.js';
import {
  QUANTIZED_DEPTHWISE_C4_NAME,
  quantizedDepthwiseConv2dC4Program,
  supportsQuantizedDepthwiseC4,
} from './programs/quantized-depthwise-conv2d-c4.js';

/** A single-step int8 convolution variant; `op` names the float op whose geometry it runs (`quantizedDepthwiseConv2d` → `depthwiseConv2d`). */
export interface WebGpuQuantizedConvVariant {
  readonly name: string;
  readonly op: 'conv2d' | 'depthwiseConv2d' | 'pointwiseConv2d';
  /** Needs WGSL's `dot4I8Packed` (the `packed_4x8_integer_dot_product` language feature). */
  readonly packedDot: boolean;
  /** How its program reads the weights. */
  readonly layout: QuantizedWeightLayout;
  supports(geometry: Conv2dGeometry): boolean;
  program(geometry: Conv2dGeometry, epilogue: QuantizedConvEpilogue): GpuProgram;
}

/** The int8 separable variant: the depthwise step then the pointwise step, each through normal int8 dispatch. */
export interface WebGpuQuantizedSeparableVariant {
  readonly name: string;
  readonly op: 'separableConv2d';
  readonly packedDot: false;
  supports(geometry: SeparableConv2dGeometry): boolean;
}

/** A kernel variant of the WebGPU backend's int8 convolutions. */
export type WebGpuQuantizedVariant = WebGpuQuantizedConvVariant | WebGpuQuantizedSeparableVariant;

const always = (): boolean => true;

function c4Variants(op: 'conv2d' | 'pointwiseConv2d', prefix: string): WebGpuQuantizedConvVariant[] {
  return [true, false].map((packedDot) => {
    const name = `${prefix}-nhwc-c4-${packedDot ? 'dot4i8' : 'unpacked'}-qs8`;
    return {
      name,
      op,
      packedDot,
      layout: 'words',
      supports: supportsQuantizedConvC4,
      program: (g, r) => quantizedConv2dC4Program(name, g, r, packedDot),
    };
  });
}

function gemm4x4Variants(): WebGpuQuantizedConvVariant[] {
  return [true, false].map((packedDot) => {
    const name = `pwconv2d-nhwc-gemm4x4-${packedDot ? 'dot4i8' : 'unpacked'}-qs8`;
    return {
      name,
      op: 'pointwiseConv2d',
      packedDot,
      layout: 'words',
      supports: supportsQuantizedPointwiseGemm4x4,
      program: (g, r) => quantizedPointwiseConv2dGemm4x4Program(name, g, r, packedDot),
    };
  });
}

function genericVariant(op: WebGpuQuantizedConvVariant['op'], prefix: string): WebGpuQuantizedConvVariant {
  const name = `${prefix}-nhwc-generic-qs8`;
  return { name, op, packedDot: false, layout: 'perElement', supports: always, program: (g, r) => quantizedConv2dGenericProgram(name, g, r) };
}

/** Name of the int8 separable variant (two dispatches, bit-identical to the two ops). */
export const QUANTIZED_SEPARABLE_TWO_PASS_NAME = 'sepconv2d-nhwc-twopass-qs8';

/**
 * Every int8 convolution variant of the WebGPU backend, in dispatch order, the int8 twin of
 * `webGpuVariants`: an int8 op takes the first row whose `op` is its float counterpart, whose
 * `supports(geometry)` holds and — for `dot4I8Packed` rows — whose WGSL has the packed-dot
 * feature. `createWebGpuBackend({ variant: name })` forces one; the tests force each in turn.
 * Every row gives the reference's integers exactly (integer sums, the same requantization).
 */
export const webGpuQuantizedVariants: readonly WebGpuQuantizedVariant[] = [
  {
    name: QUANTIZED_DEPTHWISE_C4_NAME,
    op: 'depthwiseConv2d',
    packedDot: false,
    layout: 'words',
    supports: supportsQuantizedDepthwiseC4,
    program: quantizedDepthwiseConv2dC4Program,
  },
  genericVariant('depthwiseConv2d', 'dwconv2d'),
  // 4 pixels × 4 channels per invocation for plain 1×1 layers (most of a MobileNet's work).
  ...gemm4x4Variants(),
  ...c4Variants('pointwiseConv2d', 'pwconv2d'),
  genericVariant('pointwiseConv2d', 'pwconv2d'),
  ...c4Variants('conv2d', 'conv2d'),
  genericVariant('conv2d', 'conv2d'),
  { name: QUANTIZED_SEPARABLE_TWO_PASS_NAME, op: 'separableConv2d', packedDot: false, supports: always },
];
