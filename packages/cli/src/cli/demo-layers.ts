import { conv2dLayer, type Conv2dLayer } from '@sepconv/graph';

/**
 * Standard 3×3 convolutions at the shapes of MobileNetV1 1.0-224's depthwise separable blocks
 * (Howard et al. 2017, Table 1): what each block would cost without the factorisation.
 */
export function demoLayers(): Conv2dLayer[] {
  const blocks: readonly [string, number, number, number, number][] = [
    // [name, input size, input channels, output channels, stride]
    ['block 1', 112, 32, 64, 1],
    ['block 2', 112, 64, 128, 2],
    ['block 3', 56, 128, 128, 1],
    ['block 5', 28, 256, 256, 1],
    ['block 7', 14, 512, 512, 1],
    ['block 13', 7, 1024, 1024, 1],
  ];
  return blocks.map(([name, size, inChannels, outChannels, strides]) =>
    conv2dLayer({ name, inputShape: [1, size, size, inChannels], kernelSize: 3, outChannels, strides, padding: 'same' }),
  );
}
