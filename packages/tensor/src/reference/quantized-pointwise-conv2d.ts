import type { Conv2dGeometry } from '../conv-geometry.js';
import type { ConvRequantization } from '../requantization.js';
import { referenceQuantizedConv2d } from './quantized-conv2d.js';

/**
 * Reference int8 pointwise (1×1) convolution: `referenceQuantizedConv2d` with the `[Cin, Cout]`
 * filter (the memory layout of `[1, 1, Cin, Cout]`) — a GEMM of the `[N·H·W, Cin]` input
 * (minus its zero point) by the filter, plus bias, requantized per output channel. One
 * definition of the arithmetic, shared with the standard convolution.
 * @param g a `pointwiseConv2d` geometry (`kernelHeight = kernelWidth = 1`).
 */
export function referenceQuantizedPointwiseConv2d(
  x: Int8Array,
  filter: Int8Array,
  bias: Int32Array | undefined,
  g: Conv2dGeometry,
  r: ConvRequantization,
): Int8Array {
  return referenceQuantizedConv2d(x, filter, bias, g, r);
}
