import type { LayerCase } from './layer-case.js';

/**
 * `--quick`: every op of the full suite on tiny shapes (seconds in total, for the CI smoke
 * test). Channel counts are not multiples of 4 or 8 on purpose, so SIMD kernels take their
 * remainder paths, and the stride-2 case has an odd input size ('same' padding's extra row).
 */
export const quickLayers: readonly LayerCase[] = [
  { id: 'dw3x3s1-9x9x12', title: 'depthwise 3×3 s1 9×9×12', op: 'depthwiseConv2d', inputShape: [1, 9, 9, 12], kernelSize: 3, strides: 1, padding: 'same', outChannels: 12, activation: 'relu6', group: '9x9x12' },
  { id: 'pw-9x9-12to10', title: 'pointwise 9×9 12→10', op: 'pointwiseConv2d', inputShape: [1, 9, 9, 12], kernelSize: 1, strides: 1, padding: 'same', outChannels: 10, activation: 'relu6', group: '9x9x12' },
  { id: 'conv3x3-9x9-12to10', title: 'standard 3×3 9×9 12→10', op: 'conv2d', inputShape: [1, 9, 9, 12], kernelSize: 3, strides: 1, padding: 'same', outChannels: 10, activation: 'relu6', group: '9x9x12' },
  { id: 'sep-9x9-12to10-fused', title: 'separable (fused) 3×3 9×9 12→10', op: 'separableConv2d', inputShape: [1, 9, 9, 12], kernelSize: 3, strides: 1, padding: 'same', outChannels: 10, activation: 'relu6', group: '9x9x12' },
  { id: 'sep-9x9-12to10-unfused', title: 'depthwise then pointwise 3×3 9×9 12→10', op: 'depthwiseThenPointwise', inputShape: [1, 9, 9, 12], kernelSize: 3, strides: 1, padding: 'same', outChannels: 10, activation: 'relu6', group: '9x9x12' },
  { id: 'dw3x3s2-11x11x6', title: 'depthwise 3×3 s2 11×11×6', op: 'depthwiseConv2d', inputShape: [1, 11, 11, 6], kernelSize: 3, strides: 2, padding: 'same', outChannels: 6, activation: 'relu6' },
];
