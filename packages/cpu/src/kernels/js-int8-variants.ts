import type { QuantizedConvKernelInputs, QuantizedSeparableKernelInputs } from '@sepconv/tensor';
import { referenceQuantizedConv2d, referenceQuantizedDepthwiseConv2d, referenceQuantizedPointwiseConv2d } from '@sepconv/tensor/reference';
import type { CpuContext } from '../cpu-context.js';
import type { CpuQuantizedTensor } from '../cpu-quantized-tensor.js';
import type { CpuQuantizedConvVariant, CpuQuantizedSeparableVariant } from '../quantized-variants.js';
import { QUANTIZED_OP_NAME } from './quantized-op-name.js';

const REFERENCE = {
  conv2d: referenceQuantizedConv2d,
  depthwiseConv2d: referenceQuantizedDepthwiseConv2d,
  pointwiseConv2d: referenceQuantizedPointwiseConv2d,
} as const;

/** An int8 convolution in JavaScript: the reference kernel itself, over the heap's data. */
export function runJsInt8Conv2d(
  ctx: CpuContext,
  variant: CpuQuantizedConvVariant,
  { x, weights, geometry }: QuantizedConvKernelInputs,
  y: CpuQuantizedTensor,
): void {
  const data = ctx.int8Data(QUANTIZED_OP_NAME[variant.op], 'x', x);
  y.view().set(REFERENCE[variant.op](data, weights.filter, weights.bias, geometry, weights.requantization));
}

/** An int8 separable convolution in JavaScript: the reference depthwise then pointwise kernels. */
export function runJsInt8SeparableConv2d(
  ctx: CpuContext,
  _variant: CpuQuantizedSeparableVariant,
  { x, depthwiseWeights: dw, pointwiseWeights: pw, geometry }: QuantizedSeparableKernelInputs,
  y: CpuQuantizedTensor,
): void {
  const data = ctx.int8Data('quantizedSeparableConv2d', 'x', x);
  const middle = referenceQuantizedDepthwiseConv2d(data, dw.filter, dw.bias, geometry.depthwise, dw.requantization);
  y.view().set(referenceQuantizedPointwiseConv2d(middle, pw.filter, pw.bias, geometry.pointwise, pw.requantization));
}
