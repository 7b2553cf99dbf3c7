import {
  BackendError,
  checkVariantOption,
  kernelCallGeometry,
  type Conv2dGeometry,
  type ConvKernelInputs,
  type KernelCall,
  type SeparableConv2dGeometry,
  type SeparableKernelInputs,
  type Tensor,
} from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import { packedDepthwise, packedGemm } from '../kernels/packed-weights.js';
import { requireWasmRuntime } from '../kernels/require-wasm-runtime.js';
import { depthwiseZeros, wasmDepthwiseConv2d } from '../kernels/wasm-depthwise-conv2d.js';
import { directConvScratch, wasmDirectConv2d } from '../kernels/wasm-direct-conv2d.js';
import { gemmBuffers, wasmGemmConv2d } from '../kernels/wasm-gemm-conv2d.js';
import { separableBuffers, wasmSeparableConv2d } from '../kernels/wasm-separable-conv2d.js';
import { cpuVariants, type CpuConvVariant, type CpuSeparableVariant } from '../variants.js';

const OP = 'prepareWeights';

type ConvPrepare = (ctx: CpuContext, variant: CpuConvVariant, inputs: ConvKernelInputs<Tensor>) => void;
type SeparablePrepare = (ctx: CpuContext, variant: CpuSeparableVariant, inputs: SeparableKernelInputs<Tensor>) => void;

/*
 * Each kernel's buffers are reserved here too (runtime.scratch / runtime.zeros keep the largest
 * asked for): grown inside a first predict instead, the old block is freed while queued layers
 * may still read it, and the queue is flushed to the workers there — 3 or 4 pool submissions in
 * the first predict of a MobileNet instead of the 1 of every later one.
 */
const depthwise: ConvPrepare = (ctx, variant, { filter, bias, geometry }) => {
  packedDepthwise(ctx, OP, 'filter', filter, bias, geometry);
  depthwiseZeros(requireWasmRuntime(ctx, OP, variant), OP, geometry);
};

const gemm: ConvPrepare = (ctx, variant, { filter, bias, geometry }) => {
  packedGemm(ctx, OP, 'filter', filter, bias, geometry);
  gemmBuffers(requireWasmRuntime(ctx, OP, variant), OP, geometry, variant.wasmKernel);
};

const directConv: ConvPrepare = (ctx, variant, { filter, bias, geometry }) => {
  packedGemm(ctx, OP, 'filter', filter, bias, geometry);
  directConvScratch(requireWasmRuntime(ctx, OP, variant), OP, geometry);
};

/** The fused kernel's two packings, which are also those of the block run as two calls (same filters, biases, formats). */
const separable: SeparablePrepare = (ctx, variant, { depthwiseFilter, pointwiseFilter, depthwiseBias, bias, geometry }) => {
  packedDepthwise(ctx, OP, 'depthwiseFilter', depthwiseFilter, depthwiseBias, geometry.depthwise);
  packedGemm(ctx, OP, 'pointwiseFilter', pointwiseFilter, bias, geometry.pointwise);
  separableBuffers(requireWasmRuntime(ctx, OP, variant), OP, geometry.depthwise);
};

/*
 * What each kernel function packs, by the function a variant row names. The test of
 * `prepareWeights` runs every row forced and fails for one whose first call still packs after
 * it: a new kernel that packs gets its line here. A row whose kernel is not listed (the
 * JavaScript ones) reads its weights as they are.
 */
const CONV_PREPARES = new Map<CpuConvVariant['run'], ConvPrepare>([
  [wasmDepthwiseConv2d, depthwise],
  [wasmGemmConv2d, gemm],
  [wasmDirectConv2d, directConv],
]);
const SEPARABLE_PREPARES = new Map<CpuSeparableVariant['run'], SeparablePrepare>([[wasmSeparableConv2d, separable]]);

/**
 * Packs the weights `call` will read as the variant it will run on (its `options.variant`, the
 * backend's forced one, or dispatch's choice) packs them in its first call: the same cache
 * entries, so that call and every later one find them packed.
 * @throws the op's typed errors for an invalid call (its `options.variant` included), as the
 * call itself would throw them; BackendError once the backend is disposed.
 */
export function prepareWeights(ctx: CpuContext, call: KernelCall): void {
  const geometry = kernelCallGeometry(call, OP);
  const rows = cpuVariants.filter((v) => v.isa === ctx.isa);
  const variant = checkVariantOption(call.op, rows, geometry as never, call.options?.variant, 'cpu');
  if (ctx.isDisposed) throw new BackendError(OP, 'backend', 'this CPU backend has been disposed');
  if (call.op === 'separableConv2d') {
    const g = geometry as SeparableConv2dGeometry;
    const { depthwiseBias, bias } = call.options ?? {};
    const row = ctx.select(call.op, g, variant);
    SEPARABLE_PREPARES.get(row.run)?.(ctx, row, { ...call, depthwiseBias, bias, geometry: g });
  } else {
    const g = geometry as Conv2dGeometry;
    const row = ctx.select(call.op, g, variant);
    CONV_PREPARES.get(row.run)?.(ctx, row, { x: call.x, filter: call.filter, bias: call.options?.bias, geometry: g });
  }
}
