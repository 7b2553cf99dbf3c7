import { outputShape, type SeparableKernelInputs, type Tensor } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { CpuTensor } from '../cpu-tensor.js';
import type { CpuSeparableVariant } from '../variants.js';

/**
 * Separable convolution as its two steps, each on the variant dispatch picks for its geometry:
 * the depthwise step into an intermediate tensor in the heap, then the pointwise GEMM from it.
 * The intermediate is freed when the call returns (queued kernels still read it safely: the
 * heap runs them before it hands the block to the host).
 */
export function wasmUnfusedSeparableConv2d(
  ctx: CpuContext,
  variant: CpuSeparableVariant,
  { x, depthwiseFilter, pointwiseFilter, depthwiseBias, bias, geometry }: SeparableKernelInputs<Tensor>,
  y: CpuTensor,
): void {
  const depthwise = ctx.select('depthwiseConv2d', geometry.depthwise);
  const pointwise = ctx.select('pointwiseConv2d', geometry.pointwise);
  const intermediate = ctx.output(variant.op, outputShape(geometry.depthwise));
  try {
    depthwise.run(ctx, depthwise, { x, filter: depthwiseFilter, bias: depthwiseBias, geometry: geometry.depthwise }, intermediate);
    pointwise.run(ctx, pointwise, { x: intermediate, filter: pointwiseFilter, bias, geometry: geometry.pointwise }, y);
  } finally {
    intermediate.dispose();
  }
}
