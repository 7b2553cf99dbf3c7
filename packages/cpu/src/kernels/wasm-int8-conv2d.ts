import type { QuantizedConvKernelInputs } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuQuantizedTensor } from '../cpu-quantized-tensor.js';
import type { CpuQuantizedConvVariant } from '../quantized-variants.js';
import { launchInt8Conv } from './launch-int8-conv.js';
import { packedInt8ConvWeights } from './packed-int8-weights.js';
import { QUANTIZED_OP_NAME } from './quantized-op-name.js';
import { requireWasmRuntime } from './require-wasm-runtime.js';

/**
 * An int8 depthwise, pointwise or standard convolution on the wasm kernel the variant names
 * (`int8Dwconv`, `int8Gemm` and `int8GemmRelaxedDot` reading rows in place, `int8Igemm` through per-tile pointer lists),
 * over the layer's weights packed once; multi-threaded through the backend's pool.
 */
export function wasmInt8Conv2d(
  ctx: CpuContext,
  variant: CpuQuantizedConvVariant & { readonly wasmKernel: number },
  { x, weights, geometry }: QuantizedConvKernelInputs,
  y: CpuQuantizedTensor,
): void {
  const op = QUANTIZED_OP_NAME[variant.op];
  const runtime = requireWasmRuntime(ctx, op, variant);
  const input = ctx.int8Input(op, 'x', x);
  try {
    const w = packedInt8ConvWeights(ctx, op, variant, weights);
    launchInt8Conv(runtime, op, variant.wasmKernel, geometry, weights.requantization, { x: input.address, w, y: y.address });
  } finally {
    input.release();
  }
}
