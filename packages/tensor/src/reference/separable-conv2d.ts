import type { SeparableConv2dGeometry } from '../conv-geometry.js';
import { referenceConv2d } from './conv2d.js';
import { referenceDepthwiseConv2d } from './depthwise-conv2d.js';

/**
 * Reference separable convolution: the depthwise step (with its bias and activation),
 * stored as float32 as an unfused pipeline would, then the pointwise step (adding `residual`, the
 * output's shape, after its bias and before its activation).
 */
export function referenceSeparableConv2d(
  x: Float32Array,
  depthwiseFilter: Float32Array,
  pointwiseFilter: Float32Array,
  depthwiseBias: Float32Array | undefined,
  bias: Float32Array | undefined,
  g: SeparableConv2dGeometry,
  residual?: Float32Array,
): Float32Array {
  const intermediate = referenceDepthwiseConv2d(x, depthwiseFilter, depthwiseBias, g.depthwise);
  return referenceConv2d(intermediate, pointwiseFilter, bias, g.pointwise, residual);
}
