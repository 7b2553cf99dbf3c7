import type { LayerCase } from './layer-case.js';

/**
 * Layer shapes from MobileNetV1 1.0-224 (batch 1, `'same'` padding, bias + ReLU6 as after
 * batch-norm folding): the suite. The 56×56×128 and 14×14×512 groups each hold a
 * depthwise, a pointwise and the standard 3×3 convolution they factorise, so the bench can
 * set the measured (depthwise + pointwise) / standard time beside the theory.
 */
export const mobilenetV1Layers: readonly LayerCase[] = [
  layer('dw3x3s1-112x112x32', 'depthwise 3×3 s1 112×112×32', 'depthwiseConv2d', [1, 112, 112, 32], 3, 1, 32, 'sep-112x112x32-64'),
  layer('pw-112x112-32to64', 'pointwise 112×112 32→64', 'pointwiseConv2d', [1, 112, 112, 32], 1, 1, 64, 'sep-112x112x32-64'),
  layer('sep-112x112-32to64-fused', 'separable (fused) 3×3 112×112 32→64', 'separableConv2d', [1, 112, 112, 32], 3, 1, 64, 'sep-112x112x32-64'),
  layer(
    'sep-112x112-32to64-unfused',
    'depthwise then pointwise 3×3 112×112 32→64',
    'depthwiseThenPointwise',
    [1, 112, 112, 32],
    3,
    1,
    64,
    'sep-112x112x32-64',
  ),
  layer('dw3x3s1-56x56x128', 'depthwise 3×3 s1 56×56×128', 'depthwiseConv2d', [1, 56, 56, 128], 3, 1, 128, '56x56x128'),
  layer('pw-56x56-128to128', 'pointwise 56×56 128→128', 'pointwiseConv2d', [1, 56, 56, 128], 1, 1, 128, '56x56x128'),
  layer('conv3x3-56x56-128to128', 'standard 3×3 56×56 128→128', 'conv2d', [1, 56, 56, 128], 3, 1, 128, '56x56x128'),
  layer('dw3x3s1-14x14x512', 'depthwise 3×3 s1 14×14×512', 'depthwiseConv2d', [1, 14, 14, 512], 3, 1, 512, '14x14x512'),
  layer('pw-14x14-512to512', 'pointwise 14×14 512→512', 'pointwiseConv2d', [1, 14, 14, 512], 1, 1, 512, '14x14x512'),
  layer('conv3x3-14x14-512to512', 'standard 3×3 14×14 512→512', 'conv2d', [1, 14, 14, 512], 3, 1, 512, '14x14x512'),
  layer('dw3x3s2-112x112x64', 'depthwise 3×3 s2 112×112×64', 'depthwiseConv2d', [1, 112, 112, 64], 3, 2, 64),
  // The stem and the 7×7 end of the network: the stem's 3 input channels and the 7×7 layers'
  // 49 pixels (12 GEMM tiles of 4 and one row) are the shapes that split worst between threads,
  // so sepconv-cpu beside sepconv-cpu-2t here shows whether 2 threads ever lose to 1.
  layer('conv3x3s2-224x224-3to32', 'standard 3×3 s2 224×224 3→32 (stem)', 'conv2d', [1, 224, 224, 3], 3, 2, 32),
  layer('dw3x3s1-7x7x1024', 'depthwise 3×3 s1 7×7×1024', 'depthwiseConv2d', [1, 7, 7, 1024], 3, 1, 1024),
  layer('pw-7x7-1024to1024', 'pointwise 7×7 1024→1024', 'pointwiseConv2d', [1, 7, 7, 1024], 1, 1, 1024),
  // The fused blocks that hold most of the network's work, where threads share few row groups.
  layer('sep-14x14-512to512-fused', 'separable (fused) 3×3 14×14 512→512', 'separableConv2d', [1, 14, 14, 512], 3, 1, 512),
  layer('sep-7x7-1024to1024-fused', 'separable (fused) 3×3 7×7 1024→1024', 'separableConv2d', [1, 7, 7, 1024], 3, 1, 1024),
];

function layer(
  id: string,
  title: string,
  op: LayerCase['op'],
  inputShape: LayerCase['inputShape'],
  kernelSize: number,
  strides: number,
  outChannels: number,
  group?: string,
): LayerCase {
  return { id, title, op, inputShape, kernelSize, strides, padding: 'same', outChannels, activation: 'relu6', ...(group ? { group } : {}) };
}
