import type { Conv2dGeometry, KernelVariant, SeparableConv2dGeometry } from '@sepconv/tensor';
import type { Isa } from './isa.js';

/** The implementations behind the variants; several ISAs share one implementation name. */
export type CpuKernel =
  | 'dwconv-3x3s1'
  | 'dwconv-3x3s2'
  | 'dwconv-generic'
  | 'gemm'
  | 'igemm'
  | 'sepconv-fused'
  | 'js-dwconv'
  | 'js-conv'
  | 'js-sepconv';

/** A kernel variant of the CPU backend: which op, which geometries, which ISA, which code. */
export type CpuKernelVariant = KernelVariant & {
  /** The instruction set it needs; see {@link Isa}. */
  readonly isa: Isa;
  /** The implementation that runs it. */
  readonly kernel: CpuKernel;
};

const is3x3 = (g: Conv2dGeometry, stride: number): boolean =>
  g.kernelHeight === 3 &&
  g.kernelWidth === 3 &&
  g.strideHeight === stride &&
  g.strideWidth === stride &&
  g.dilationHeight === 1 &&
  g.dilationWidth === 1 &&
  g.channelMultiplier === 1;

const isPlain1x1 = (g: Conv2dGeometry): boolean =>
  g.kernelHeight === 1 &&
  g.kernelWidth === 1 &&
  g.strideHeight === 1 &&
  g.strideWidth === 1 &&
  g.padTop === 0 &&
  g.padBottom === 0 &&
  g.padLeft === 0 &&
  g.padRight === 0;

const always = (): boolean => true;

function wasmVariants(isa: Exclude<Isa, 'js'>): CpuKernelVariant[] {
  return [
    { name: `dwconv2d-nhwc-3x3s1-f32-${isa}`, op: 'depthwiseConv2d', isa, kernel: 'dwconv-3x3s1', supports: (g: Conv2dGeometry) => is3x3(g, 1) },
    { name: `dwconv2d-nhwc-3x3s2-f32-${isa}`, op: 'depthwiseConv2d', isa, kernel: 'dwconv-3x3s2', supports: (g: Conv2dGeometry) => is3x3(g, 2) },
    { name: `dwconv2d-nhwc-generic-f32-${isa}`, op: 'depthwiseConv2d', isa, kernel: 'dwconv-generic', supports: always },
    { name: `pwconv2d-nhwc-gemm6x8-f32-${isa}`, op: 'pointwiseConv2d', isa, kernel: 'gemm', supports: isPlain1x1 },
    // Pointwise with strides or padding (the geometry allows both) samples pixels: indirect.
    { name: `pwconv2d-nhwc-igemm6x8-f32-${isa}`, op: 'pointwiseConv2d', isa, kernel: 'igemm', supports: always },
    { name: `conv2d-nhwc-1x1gemm6x8-f32-${isa}`, op: 'conv2d', isa, kernel: 'gemm', supports: isPlain1x1 },
    { name: `conv2d-nhwc-igemm6x8-f32-${isa}`, op: 'conv2d', isa, kernel: 'igemm', supports: always },
    { name: `sepconv2d-nhwc-fused-f32-${isa}`, op: 'separableConv2d', isa, kernel: 'sepconv-fused', supports: (_g: SeparableConv2dGeometry) => true },
  ];
}

/**
 * Every kernel variant of the CPU backend, fastest ISA first and, within an ISA, specialised
 * before general: dispatch takes the first variant of the backend's ISA whose op matches and
 * whose `supports(geometry)` holds. The conformance suite forces each one in turn
 * (`createCpuBackend({ variant: name })`) and the benchmark reads the same list.
 * Names follow XNNPACK's order: op, layout, specialisation, dtype, ISA.
 */
export const cpuVariants: readonly CpuKernelVariant[] = [
  ...wasmVariants('wasmrelaxedsimd'),
  ...wasmVariants('wasmsimd'),
  { name: 'dwconv2d-nhwc-generic-f32-js', op: 'depthwiseConv2d', isa: 'js', kernel: 'js-dwconv', supports: always },
  { name: 'pwconv2d-nhwc-generic-f32-js', op: 'pointwiseConv2d', isa: 'js', kernel: 'js-conv', supports: always },
  { name: 'conv2d-nhwc-generic-f32-js', op: 'conv2d', isa: 'js', kernel: 'js-conv', supports: always },
  { name: 'sepconv2d-nhwc-unfused-f32-js', op: 'separableConv2d', isa: 'js', kernel: 'js-sepconv', supports: (_g: SeparableConv2dGeometry) => true },
];
