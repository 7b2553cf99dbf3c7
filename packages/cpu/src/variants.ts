import type { Conv2dGeometry, ConvKernelInputs, KernelName, SeparableConv2dGeometry, SeparableKernelInputs, Tensor } from '@sepconv/tensor';
import type { CpuContext } from './cpu-context.js';
import type { CpuTensor } from './cpu-tensor.js';
import type { Isa } from './isa.js';
import { runJsConv2d, runJsDepthwiseConv2d, runJsSeparableConv2d } from './kernels/js-variants.js';
import { wasmDirectConv2d } from './kernels/wasm-direct-conv2d.js';
import { wasmDepthwiseConv2d } from './kernels/wasm-depthwise-conv2d.js';
import { wasmGemmConv2d } from './kernels/wasm-gemm-conv2d.js';
import { wasmSeparableConv2d } from './kernels/wasm-separable-conv2d.js';
import { WasmKernel } from './wasm/job-layout.js';

/** What every CPU variant row has: a name, the instruction set it needs and, for WebAssembly rows, the kernel id the wasm `run` entry dispatches on. */
interface CpuVariantBase {
  readonly name: string;
  /** The instruction set it needs; see {@link Isa}. */
  readonly isa: Isa;
  /** The id (see `WasmKernel`) written into the job record; absent for JavaScript rows. */
  readonly wasmKernel?: number;
  /**
   * Whether `run` adds `options.residual` in its own epilogue (the GEMM rows: in the tile's
   * store, while it is in L1). Rows without it still take a residual: the kernel table runs them
   * without the activation and adds it in one pass after (src/kernels/residual-epilogue.ts).
   */
  readonly fusesResidual?: boolean;
}

/** A single-step convolution variant: `run` computes `inputs` into the preallocated output `y`. */
export interface CpuConvVariant extends CpuVariantBase {
  readonly op: Exclude<KernelName, 'separableConv2d'>;
  supports(geometry: Conv2dGeometry): boolean;
  run(ctx: CpuContext, variant: CpuConvVariant, inputs: ConvKernelInputs<Tensor>, y: CpuTensor): void;
}

/** A separable convolution variant: `run` computes `inputs` into the preallocated output `y`. */
export interface CpuSeparableVariant extends CpuVariantBase {
  readonly op: 'separableConv2d';
  supports(geometry: SeparableConv2dGeometry): boolean;
  run(ctx: CpuContext, variant: CpuSeparableVariant, inputs: SeparableKernelInputs<Tensor>, y: CpuTensor): void;
}

/**
 * A WebAssembly row: its `wasmKernel` is always set. The wasm runners take this narrower type;
 * a row's `run` is declared as a method, so a runner that needs the id still fits the row.
 */
export type WasmVariant<V extends CpuConvVariant | CpuSeparableVariant> = V & { readonly wasmKernel: number };

/**
 * A kernel variant of the CPU backend (a `KernelVariant` of `@sepconv/tensor`): which op, which
 * geometries, which ISA, and the function that runs it — as XNNPACK's rows name their micro-kernel.
 */
export type CpuKernelVariant = CpuConvVariant | CpuSeparableVariant;

/** A `size`×`size` window at stride `stride`, dilation 1, channel multiplier 1: what the specialised depthwise row kernels take. */
const isSquare = (g: Conv2dGeometry, size: number, stride: number): boolean =>
  g.kernelHeight === size &&
  g.kernelWidth === size &&
  g.strideHeight === stride &&
  g.strideWidth === stride &&
  g.dilationHeight === 1 &&
  g.dilationWidth === 1 &&
  g.channelMultiplier === 1;

/** A 1×1 window at stride 1 without padding: a plain matrix product over pixels in place. */
export const isPlain1x1 = (g: Conv2dGeometry): boolean =>
  g.kernelHeight === 1 &&
  g.kernelWidth === 1 &&
  g.strideHeight === 1 &&
  g.strideWidth === 1 &&
  g.padTop === 0 &&
  g.padBottom === 0 &&
  g.padLeft === 0 &&
  g.padRight === 0;

/**
 * Input channels up to which standard convolution runs on the direct kernel rather than the
 * indirect GEMM. Measured 3×3, 1 thread, relaxed SIMD, kernel alone, best of 40, interleaved
 * (Zen 4 under Node 20, a loaded machine; before both moved to the 4×8 micro-kernel): the stem
 * 224×224×3→32 s2 0.57 against 1.71 ms; 112×112 4→32 0.69/1.40, 8→32 1.19/2.29; 56×56 16→64
 * 1.14/1.68, 32→64 2.28/3.13. On the shared 4×8 micro-kernel, 56×56 32→64 is 2.33 against
 * 2.52 ms; above 32 input channels the two came out within the noise of a machine at load 19
 * (128→128 61 against 59 ms, 512→512 at 14×14 58 against 51), so the GEMM keeps them.
 */
const DIRECT_CONV_MAX_IN_CHANNELS = 32;

const hasFewInChannels = (g: Conv2dGeometry): boolean => g.inChannels <= DIRECT_CONV_MAX_IN_CHANNELS;

/**
 * Where the narrow-K pointwise GEMM (assembly/gemm-narrow.ts: each 4-row tile's inputs
 * interleaved once, then swept over every panel) beats the general one: a plain 1×1 product
 * with at most 48 input channels and at least 40 output channels. Measured 1 thread, relaxed
 * SIMD, kernel alone (flush, no read), best of 40 interleaved, narrow/general ms on a 2-core
 * Zen 5 under Node 20 at load 4–9: 112×112 16→64 0.556/0.623, 16→96 0.799/0.927, 32→64
 * 1.019/1.060; 56×56 16→40 0.100/0.108, 16→48 0.116/0.130, 24→72 0.230/0.244, 24→144
 * 0.433/0.487, 32→48 0.209/0.216, 48→48 0.296/0.293, 48→144 0.860/0.946; 28×28 40→120
 * 0.154/0.159, 40→240 0.294/0.308, 48→288 0.416/0.430. The interleaving costs the same per
 * tile whatever the panel count, so with few panels it does not pay: 112×112 32→16 0.304/0.289,
 * 16→16 0.181/0.182, 56×56 48→24 0.164/0.156, 32→8 0.054/0.047; nor past 48 input channels,
 * where the k loop dominates either way: 56×56 56→144 1.012/1.032, 64→144 1.170/1.172, 72→144
 * 1.299/1.276. Plain SIMD gains more (112×112 16→64 0.688/0.755, 32→64 1.294/1.370, 56×56
 * 24→144 0.555/0.600, 28×28 40→240 0.362/0.399), but one rule serves both builds.
 */
const NARROW_GEMM_MAX_IN_CHANNELS = 48;
const NARROW_GEMM_MIN_OUT_CHANNELS = 40;

const isNarrowK = (g: Conv2dGeometry): boolean =>
  isPlain1x1(g) && g.inChannels <= NARROW_GEMM_MAX_IN_CHANNELS && g.outChannels >= NARROW_GEMM_MIN_OUT_CHANNELS;

/** The `supports` of a general row. */
export const always = (): boolean => true;

function wasmVariants(isa: Exclude<Isa, 'js'>): CpuKernelVariant[] {
  const depthwise = { op: 'depthwiseConv2d', isa, run: wasmDepthwiseConv2d } as const;
  const gemm = { isa, run: wasmGemmConv2d, fusesResidual: true } as const;
  return [
    { name: `dwconv2d-nhwc-3x3s1-f32-${isa}`, ...depthwise, wasmKernel: WasmKernel.dwconv3x3s1, supports: (g: Conv2dGeometry) => isSquare(g, 3, 1) },
    { name: `dwconv2d-nhwc-3x3s2-f32-${isa}`, ...depthwise, wasmKernel: WasmKernel.dwconv3x3s2, supports: (g: Conv2dGeometry) => isSquare(g, 3, 2) },
    { name: `dwconv2d-nhwc-5x5s1-f32-${isa}`, ...depthwise, wasmKernel: WasmKernel.dwconv5x5s1, supports: (g: Conv2dGeometry) => isSquare(g, 5, 1) },
    { name: `dwconv2d-nhwc-5x5s2-f32-${isa}`, ...depthwise, wasmKernel: WasmKernel.dwconv5x5s2, supports: (g: Conv2dGeometry) => isSquare(g, 5, 2) },
    { name: `dwconv2d-nhwc-generic-f32-${isa}`, ...depthwise, wasmKernel: WasmKernel.dwconvGeneric, supports: always },
    { name: `pwconv2d-nhwc-gemm4x8narrowk-f32-${isa}`, op: 'pointwiseConv2d', ...gemm, wasmKernel: WasmKernel.gemmNarrow, supports: isNarrowK },
    { name: `pwconv2d-nhwc-gemm4x8-f32-${isa}`, op: 'pointwiseConv2d', ...gemm, wasmKernel: WasmKernel.gemm, supports: isPlain1x1 },
    // Pointwise with strides or padding (the geometry allows both) samples pixels: indirect.
    { name: `pwconv2d-nhwc-igemm4x8-f32-${isa}`, op: 'pointwiseConv2d', ...gemm, wasmKernel: WasmKernel.igemm, supports: always },
    { name: `conv2d-nhwc-1x1gemm4x8-f32-${isa}`, op: 'conv2d', ...gemm, wasmKernel: WasmKernel.gemm, supports: isPlain1x1 },
    {
      name: `conv2d-nhwc-direct4x8-f32-${isa}`,
      op: 'conv2d',
      isa,
      run: wasmDirectConv2d,
      wasmKernel: WasmKernel.directConv,
      supports: hasFewInChannels,
    },
    { name: `conv2d-nhwc-igemm4x8-f32-${isa}`, op: 'conv2d', ...gemm, wasmKernel: WasmKernel.igemm, supports: always },
    {
      name: `sepconv2d-nhwc-fused-f32-${isa}`,
      op: 'separableConv2d',
      isa,
      wasmKernel: WasmKernel.sepconvFused,
      supports: always,
      fusesResidual: true,
      run: wasmSeparableConv2d,
    },
    // Fused first. Measured per MobileNetV1 1.0 block (3×3, 1 thread, relaxed SIMD, with read(),
    // best of 20 interleaved, Zen 4 at load 16), unfused/fused time was 1.02 (112×112 32→64),
    // 1.05 (112→56 64→128 s2), 0.99 (56×56 128→128), 1.08 (56→28 128→256 s2), 0.99 (28×28
    // 256→256), 0.97 (28→14 256→512 s2), 1.02 (14×14 512→512), 0.97 (14→7 512→1024 s2), 0.95
    // (7×7 1024→1024): on one thread neither wins beyond the noise, as the intermediate stays in
    // L2/L3 here. In a queued predict the fused kernel is one job where the two steps are two,
    // so half the barriers between threads; 2-thread timings on a machine this loaded could not
    // tell the two apart either. The two-call form is no row here: a caller runs it as the two
    // calls, and mobilenet's tuner times it per layer on every backend (its plan-level 'unfused').
  ];
}

/**
 * Every kernel variant of the CPU backend, fastest ISA first and, within an ISA, specialised
 * before general: dispatch (`selectVariant` of `@sepconv/tensor`) takes the first variant of the
 * backend's ISA whose op matches and whose `supports(geometry)` holds, and calls its `run`. The
 * conformance suite forces each one in turn (`createCpuBackend({ variant: name })`) and the
 * benchmark reads the same list. Names follow XNNPACK's order: op, layout, specialisation, dtype, ISA.
 * A new variant is one row here and the function it names.
 */
export const cpuVariants: readonly CpuKernelVariant[] = [
  ...wasmVariants('wasmrelaxedsimd'),
  ...wasmVariants('wasmsimd'),
  { name: 'dwconv2d-nhwc-generic-f32-js', op: 'depthwiseConv2d', isa: 'js', supports: always, run: runJsDepthwiseConv2d },
  { name: 'pwconv2d-nhwc-generic-f32-js', op: 'pointwiseConv2d', isa: 'js', supports: always, run: runJsConv2d },
  { name: 'conv2d-nhwc-generic-f32-js', op: 'conv2d', isa: 'js', supports: always, run: runJsConv2d },
  { name: 'sepconv2d-nhwc-unfused-f32-js', op: 'separableConv2d', isa: 'js', supports: always, run: runJsSeparableConv2d },
];
