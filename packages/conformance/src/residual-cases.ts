import { CONV_ACTIVATIONS, type KernelName } from '@sepconv/tensor';
import type { ConformanceCase } from './conformance-case.js';
import { describeCase } from './conformance-cases.js';

type ResidualCase = Omit<ConformanceCase, 'name' | 'seed' | 'residual' | 'activation'>;

/**
 * Shape classes per op, cycled through the activations: channel counts at, below and above the
 * kernels' tiles (4-lane vectors, 8-channel GEMM panels: 4, 5, 8, 13, 17, 24, 64), batch above
 * 1, row counts that leave partial row tiles, the strided and padded pointwise (indirect GEMM),
 * a 1×1-spatial product (squeeze-and-excitation's shape), MobileNetV2's linear projection, the
 * narrow-K expansions (ragged panels, remainder rows, fewer pixels than output channels).
 */
const SHAPES: Record<KernelName, readonly ResidualCase[]> = {
  pointwiseConv2d: [
    { op: 'pointwiseConv2d', xShape: [1, 7, 9, 8], filterShape: [8, 16], bias: true },
    { op: 'pointwiseConv2d', xShape: [3, 5, 5, 17], filterShape: [17, 13], bias: true },
    { op: 'pointwiseConv2d', xShape: [2, 4, 4, 32], filterShape: [32, 64] },
    { op: 'pointwiseConv2d', xShape: [1, 3, 3, 4], filterShape: [4, 5], bias: true },
    { op: 'pointwiseConv2d', xShape: [2, 6, 6, 12], filterShape: [12, 24], bias: true },
    { op: 'pointwiseConv2d', xShape: [2, 7, 7, 8], filterShape: [8, 12], strides: 2, bias: true },
    { op: 'pointwiseConv2d', xShape: [3, 1, 1, 24], filterShape: [24, 40], bias: true },
    // The narrow-K class (few input channels, 40 or more output channels: MobileNetV3's expansions).
    { op: 'pointwiseConv2d', xShape: [1, 7, 9, 16], filterShape: [16, 67], bias: true },
    { op: 'pointwiseConv2d', xShape: [2, 5, 7, 48], filterShape: [48, 44] },
    { op: 'pointwiseConv2d', xShape: [1, 6, 5, 40], filterShape: [40, 240], bias: true },
  ],
  separableConv2d: [
    {
      op: 'separableConv2d',
      xShape: [1, 9, 9, 8],
      filterShape: [3, 3, 8, 1],
      pointwiseFilterShape: [8, 16],
      padding: 'same',
      depthwiseActivation: 'relu6',
    },
    {
      op: 'separableConv2d',
      xShape: [2, 7, 7, 24],
      filterShape: [3, 3, 24, 1],
      pointwiseFilterShape: [24, 24],
      padding: 'same',
      bias: true,
      depthwiseBias: true,
      depthwiseActivation: 'relu6',
    },
    {
      op: 'separableConv2d',
      xShape: [1, 13, 13, 5],
      filterShape: [3, 3, 5, 1],
      pointwiseFilterShape: [5, 7],
      strides: 2,
      padding: 'same',
      bias: true,
      depthwiseActivation: 'hardSwish',
    },
    {
      op: 'separableConv2d',
      xShape: [3, 6, 6, 16],
      filterShape: [5, 5, 16, 1],
      pointwiseFilterShape: [16, 16],
      padding: 'same',
      bias: true,
      depthwiseBias: true,
    },
    {
      op: 'separableConv2d',
      xShape: [2, 5, 11, 4],
      filterShape: [3, 3, 4, 2],
      pointwiseFilterShape: [8, 20],
      padding: 'valid',
      bias: true,
      depthwiseActivation: 'relu',
    },
  ],
  conv2d: [
    { op: 'conv2d', xShape: [2, 6, 6, 3], filterShape: [3, 3, 3, 8], strides: 2, padding: 'same', bias: true },
    { op: 'conv2d', xShape: [1, 7, 7, 40], filterShape: [3, 3, 40, 16], padding: 'same', bias: true },
    { op: 'conv2d', xShape: [2, 5, 5, 8], filterShape: [1, 1, 8, 8] },
    { op: 'conv2d', xShape: [3, 4, 6, 5], filterShape: [2, 3, 5, 13], padding: 'valid', bias: true },
    { op: 'conv2d', xShape: [1, 9, 9, 16], filterShape: [3, 3, 16, 12], padding: 'same' },
  ],
  depthwiseConv2d: [
    { op: 'depthwiseConv2d', xShape: [2, 7, 7, 8], filterShape: [3, 3, 8, 1], padding: 'same', bias: true },
    { op: 'depthwiseConv2d', xShape: [1, 9, 9, 5], filterShape: [3, 3, 5, 1], strides: 2, padding: 'same', bias: true },
    { op: 'depthwiseConv2d', xShape: [3, 5, 5, 4], filterShape: [3, 3, 4, 2], padding: 'valid' },
    { op: 'depthwiseConv2d', xShape: [1, 11, 11, 17], filterShape: [5, 5, 17, 1], padding: 'same', bias: true },
    { op: 'depthwiseConv2d', xShape: [2, 8, 8, 12], filterShape: [5, 5, 12, 1], strides: 2, padding: 'same', bias: true },
  ],
};

/**
 * Convolutions with `options.residual`: every op, every fused activation (each shape class
 * meets a different one as the two lists cycle), inputs and residuals in [-3, 3] so that ReLU
 * and ReLU6 clip the sum. Run on a backend for the ops its `residualOps` lists.
 */
function buildResidualCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const shapes of Object.values(SHAPES)) {
    const count = Math.max(shapes.length, CONV_ACTIVATIONS.length);
    for (let i = 0; i < count; i++) {
      const c = { ...shapes[i % shapes.length]!, activation: CONV_ACTIVATIONS[i % CONV_ACTIVATIONS.length], residual: true, scale: 3 };
      cases.push({ ...c, name: describeCase(c), seed: 5000 + cases.length * 10 });
    }
  }
  return cases;
}

/** The convolution cases with a residual, in a stable order with stable names and seeds. */
export const residualCases: readonly ConformanceCase[] = Object.freeze(buildResidualCases());
