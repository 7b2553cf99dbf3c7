import { assertFloat32Data, ChannelScaledTensor, type Conv2dGeometry, type Tensor } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import { packDepthwise, packedDepthwiseLength } from '../pack/pack-depthwise.js';
import { packedGemmLength, packGemm } from '../pack/pack-gemm.js';
import { wasmPackGemm, type GemmPackSource } from '../pack/wasm-pack-gemm.js';

/**
 * What packing reads of `filter`: a `ChannelScaledTensor`'s unscaled source and its per-channel
 * scale, applied as it packs (so no scaled copy is made), or the filter's elements as they are.
 */
function packSource(ctx: CpuContext, op: string, argument: string, filter: Tensor): { data: Float32Array; scale: Float32Array | undefined } {
  if (filter instanceof ChannelScaledTensor) {
    assertFloat32Data(op, argument, filter.source, filter.shape);
    return { data: filter.source, scale: filter.scale };
  }
  return { data: ctx.hostData(op, argument, filter), scale: undefined };
}

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
  return ctx.packed(op, 'depthwise', filter, bias, packedDepthwiseLength(taps, g.outChannels), (out, offset) => {
    const { data, scale } = packSource(ctx, op, filterName, filter);
    packDepthwise(data, bias && ctx.hostData(op, 'options.bias', bias), taps, g.outChannels, out, offset, scale);
  });
}

/**
 * Address of `filter` and `bias` packed for the GEMM micro-kernel (packed once, then cached);
 * `g` is the conv2d or pointwise geometry the filter serves.
 */
export function packedGemm(ctx: CpuContext, op: string, filterName: string, filter: Tensor, bias: Tensor | undefined, g: Conv2dGeometry): number {
  const taps = g.kernelHeight * g.kernelWidth;
  const read = (): GemmPackSource => {
    const { data, scale } = packSource(ctx, op, filterName, filter);
    return { filter: data, scale, bias: bias && ctx.hostData(op, 'options.bias', bias) };
  };
  return ctx.packed(op, 'gemm', filter, bias, packedGemmLength(taps, g.inChannels, g.outChannels), (out, offset) => {
    if (ctx.runtime) {
      wasmPackGemm(ctx, ctx.runtime, op, read, taps, g.inChannels, g.outChannels, offset * 4);
      return;
    }
    const source = read();
    packGemm(source.filter, source.bias, taps, g.inChannels, g.outChannels, out, offset, source.scale);
  });
}
