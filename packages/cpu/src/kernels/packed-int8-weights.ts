import type { QuantizedConvWeights } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuQuantizedConvVariant } from '../quantized-variants.js';
import { WasmKernel } from '../wasm/job-layout.js';
import { packedInt8DepthwiseBytes, packInt8Depthwise } from '../pack/pack-int8-depthwise.js';
import { packedInt8GemmBytes, packInt8Gemm } from '../pack/pack-int8-gemm.js';
import { packedInt8GemmRelaxedDotBytes, packInt8GemmRelaxedDot } from '../pack/pack-int8-gemm-relaxed-dot.js';

/** Address of an int8 depthwise layer's weights packed for assembly/int8-dwconv.ts (packed once per weights object, then cached). */
export function packedInt8Depthwise(ctx: CpuContext, op: string, weights: QuantizedConvWeights): number {
  const taps = weights.kernelHeight * weights.kernelWidth;
  return ctx.packedInt8(op, 'int8-depthwise', weights, packedInt8DepthwiseBytes(taps, weights.outChannels), (out, byteOffset) =>
    packInt8Depthwise(weights.filter, weights.bias, weights.requantization, taps, weights.outChannels, out, byteOffset),
  );
}

/** Address of an int8 standard or pointwise layer's weights packed for assembly/int8-gemm.ts (packed once per weights object, then cached). */
export function packedInt8Gemm(ctx: CpuContext, op: string, weights: QuantizedConvWeights): number {
  const taps = weights.kernelHeight * weights.kernelWidth;
  return ctx.packedInt8(op, 'int8-gemm', weights, packedInt8GemmBytes(taps, weights.inChannels, weights.outChannels), (out, byteOffset) =>
    packInt8Gemm(weights.filter, weights.bias, weights.requantization, taps, weights.inChannels, weights.outChannels, out, byteOffset),
  );
}

/** Address of an int8 pointwise layer's weights packed for assembly/int8-gemm-relaxed-dot.ts (packed once per weights object, then cached). */
export function packedInt8GemmRelaxedDot(ctx: CpuContext, op: string, weights: QuantizedConvWeights): number {
  return ctx.packedInt8(
    op,
    'int8-gemm-relaxed-dot',
    weights,
    packedInt8GemmRelaxedDotBytes(weights.inChannels, weights.outChannels),
    (out, byteOffset) =>
      packInt8GemmRelaxedDot(weights.filter, weights.bias, weights.requantization, weights.inChannels, weights.outChannels, out, byteOffset),
  );
}

/** Address of a single-step int8 convolution's weights packed as the wasm `variant` reads them (packed once per weights object, then cached). */
export function packedInt8ConvWeights(
  ctx: CpuContext,
  op: string,
  variant: CpuQuantizedConvVariant & { readonly wasmKernel: number },
  weights: QuantizedConvWeights,
): number {
  if (variant.op === 'depthwiseConv2d') return packedInt8Depthwise(ctx, op, weights);
  if (variant.wasmKernel === WasmKernel.int8GemmRelaxedDot) return packedInt8GemmRelaxedDot(ctx, op, weights);
  return packedInt8Gemm(ctx, op, weights);
}
