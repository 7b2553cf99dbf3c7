import type { Conv2dGeometry, QuantizedConvKernelInputs, QuantizedSeparableKernelInputs, SeparableConv2dGeometry } from '@sepconv/tensor';
import type { CpuContext } from './cpu-context.js';
import type { CpuQuantizedTensor } from './cpu-quantized-tensor.js';
import type { Isa } from './isa.js';
import { runJsInt8Conv2d, runJsInt8SeparableConv2d } from './kernels/js-int8-variants.js';
import { wasmInt8Conv2d } from './kernels/wasm-int8-conv2d.js';
import { wasmInt8SeparableConv2d } from './kernels/wasm-int8-separable-conv2d.js';
import { relaxedDotSupport } from './relaxed-dot-probe.js';
import { always, isPlain1x1 } from './variants.js';
import { WasmKernel } from './wasm/job-layout.js';

/** An int8 single-step convolution variant; `op` names the float op whose geometry it runs (`quantizedDepthwiseConv2d` → `depthwiseConv2d`). */
export interface CpuQuantizedConvVariant {
  readonly name: string;
  readonly op: 'conv2d' | 'depthwiseConv2d' | 'pointwiseConv2d';
  readonly isa: Isa;
  /** The id (see `WasmKernel`) written into the job record; absent for JavaScript rows. */
  readonly wasmKernel?: number;
  /** A check of the engine beyond `isa` (see `variantSupport`): `undefined` when the variant may run here, else why not. */
  readonly engineSupport?: () => string | undefined;
  supports(geometry: Conv2dGeometry): boolean;
  run(ctx: CpuContext, variant: CpuQuantizedConvVariant, inputs: QuantizedConvKernelInputs, y: CpuQuantizedTensor): void;
}

/** An int8 separable convolution variant (depthwise then pointwise). */
export interface CpuQuantizedSeparableVariant {
  readonly name: string;
  readonly op: 'separableConv2d';
  readonly isa: Isa;
  readonly wasmKernel?: number;
  readonly engineSupport?: () => string | undefined;
  supports(geometry: SeparableConv2dGeometry): boolean;
  run(ctx: CpuContext, variant: CpuQuantizedSeparableVariant, inputs: QuantizedSeparableKernelInputs, y: CpuQuantizedTensor): void;
}

/** A kernel variant of the CPU backend's int8 ops (`quantizedConv2d` and its siblings). */
export type CpuQuantizedVariant = CpuQuantizedConvVariant | CpuQuantizedSeparableVariant;

function wasmQuantizedVariants(isa: Exclude<Isa, 'js'>): CpuQuantizedVariant[] {
  const conv = { isa, run: wasmInt8Conv2d } as const;
  return [
    { name: `dwconv2d-nhwc-generic-qs8-${isa}`, op: 'depthwiseConv2d', ...conv, wasmKernel: WasmKernel.int8Dwconv, supports: always },
    { name: `pwconv2d-nhwc-gemm4x8c2-qs8-${isa}`, op: 'pointwiseConv2d', ...conv, wasmKernel: WasmKernel.int8Gemm, supports: isPlain1x1 },
    // Pointwise with strides or padding (the geometry allows both) samples pixels: indirect.
    { name: `pwconv2d-nhwc-igemm4x8c2-qs8-${isa}`, op: 'pointwiseConv2d', ...conv, wasmKernel: WasmKernel.int8Igemm, supports: always },
    { name: `conv2d-nhwc-1x1gemm4x8c2-qs8-${isa}`, op: 'conv2d', ...conv, wasmKernel: WasmKernel.int8Gemm, supports: isPlain1x1 },
    { name: `conv2d-nhwc-igemm4x8c2-qs8-${isa}`, op: 'conv2d', ...conv, wasmKernel: WasmKernel.int8Igemm, supports: always },
    {
      name: `sepconv2d-nhwc-fused-qs8-${isa}`,
      op: 'separableConv2d',
      isa,
      wasmKernel: WasmKernel.int8SepconvFused,
      supports: always,
      run: wasmInt8SeparableConv2d,
    },
  ];
}

/**
 * Every int8 kernel variant of the CPU backend, in dispatch order (fastest ISA first, specialised
 * before general), the int8 twin of `cpuVariants`: an int8 op (`quantizedDepthwiseConv2d`, …)
 * takes the first row of the backend's ISA whose `op` is its float counterpart and whose
 * `supports(geometry)` holds; `createCpuBackend({ variant: name })` forces one, and the tests
 * force each in turn. The relaxed-SIMD rows run the same integer arithmetic as the SIMD ones,
 * so that a backend on either ISA has its int8 kernels, except the `wasmrelaxeddot` row, whose
 * pointwise GEMM uses `i32x4.relaxed_dot_i8x16_i7x16_add_s` and runs only where a probe finds
 * that instruction exact (`engineSupport`; Node 20 gets it wrong). The JavaScript rows run the reference kernels of
 * `@sepconv/tensor/reference` — the definition of the arithmetic — for runtimes without SIMD.
 */
export const cpuQuantizedVariants: readonly CpuQuantizedVariant[] = [
  ...wasmQuantizedVariants('wasmrelaxedsimd'),
  // After the int16 rows, so dispatch prefers them: without AVX-VNNI (this project's Zen 5 VM
  // exposes only AVX-512 VNNI) V8 lowers the relaxed dot to pmaddubsw + pmaddwd + paddd, and the
  // exact 7-bit scheme needs two of them per 16 multiply-adds where dot_i16x8_s needs two
  // pmaddwd: in Chromium 156 here, 2.9 G relaxed dots/s against 6.8 G pmaddwd/s, and the
  // kernel took 2.6 ms for 14×14 512→512 against 1.4 ms for the int16 one (1 thread, interleaved, load ~5).
  {
    name: 'pwconv2d-nhwc-gemm4x8c4-qs8-wasmrelaxeddot',
    op: 'pointwiseConv2d',
    isa: 'wasmrelaxedsimd',
    wasmKernel: WasmKernel.int8GemmRelaxedDot,
    engineSupport: relaxedDotSupport,
    supports: isPlain1x1,
    run: wasmInt8Conv2d,
  },
  ...wasmQuantizedVariants('wasmsimd'),
  { name: 'dwconv2d-nhwc-reference-qs8-js', op: 'depthwiseConv2d', isa: 'js', supports: always, run: runJsInt8Conv2d },
  { name: 'pwconv2d-nhwc-reference-qs8-js', op: 'pointwiseConv2d', isa: 'js', supports: always, run: runJsInt8Conv2d },
  { name: 'conv2d-nhwc-reference-qs8-js', op: 'conv2d', isa: 'js', supports: always, run: runJsInt8Conv2d },
  { name: 'sepconv2d-nhwc-unfused-qs8-js', op: 'separableConv2d', isa: 'js', supports: always, run: runJsInt8SeparableConv2d },
];
