/**
 * The `Params` fields that place a convolution's window (a `Conv2dGeometry`'s names), in the
 * order every convolution program declares them: spread into a program's uniform list, after
 * its input and output sizes.
 */
export const CONV_WINDOW_UNIFORMS = [
  'kernelHeight',
  'kernelWidth',
  'strideHeight',
  'strideWidth',
  'dilationHeight',
  'dilationWidth',
  'padTop',
  'padLeft',
] as const;
