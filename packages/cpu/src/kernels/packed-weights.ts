import type { Conv2dGeometry, Tensor } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import { packDepthwise, packedDepthwiseLength } from '../pack/pack-depthwise.js';
import { packedGemmLength, packGemm } from '../pack/pack-gemm.js';

/** Address of `filter` and `bias` packed for the depthwise kernels (packed once, then cached). */
export function packedDepthwise(
  ctx: CpuContext,
  op: string,
  filterName: string,
  filter: Tensor,
  bias: Tensor | undefined,
  g: Conv2dGeometry,
): number {
  const taps = g.kernelHeight * g.kernelWidth;
  return ctx.packed(op, 'depthwise', filter, bias, packedDepthwiseLength(taps, g.outChannels), (out, offset) =>
    packDepthwise(ctx.hostData(op, filterName, filter), bias && ctx.hostData(op, 'options.bias', bias), taps, g.outChannels, out, offset),
  );
}

/**
 * Address of `filter` and `bias` packed for the GEMM micro-kernel (packed once, then cached);
 * `g` is the conv2d or pointwise geometry the filter serves.
 */
export function packedGemm(ctx: CpuContext, op: string, filterName: string, filter: Tensor, bias: Tensor | undefined, g: Conv2dGeometry): number {
  const taps = g.kernelHeight * g.kernelWidth;
  return ctx.packed(op, 'gemm', filter, bias, packedGemmLength(taps, g.inChannels, g.outChannels), (out, offset) =>
    packGemm(ctx.hostData(op, filterName, filter), bias && ctx.hostData(op, 'options.bias', bias), taps, g.inChannels, g.outChannels, out, offset),
  );
}
