/** The int8 capability that runs the geometry of each float convolution op: what error messages name. */
export const QUANTIZED_OP_NAME = {
  conv2d: 'quantizedConv2d',
  depthwiseConv2d: 'quantizedDepthwiseConv2d',
  pointwiseConv2d: 'quantizedPointwiseConv2d',
  separableConv2d: 'quantizedSeparableConv2d',
} as const;
