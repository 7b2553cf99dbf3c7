import type { HostTensor } from '@sepconv/tensor';

/**
 * A network's weights by Keras's names, `<layer>/<weight>`: `conv1/kernel`,
 * `conv_dw_1/depthwise_kernel`, `conv1_bn/gamma`, `conv1_bn/moving_variance`,
 * `predictions/bias`, … — the names TensorFlow.js's layers format stores. Layouts as Keras:
 * conv kernels `[kernelHeight, kernelWidth, inChannels, outChannels]`, depthwise
 * `[kernelHeight, kernelWidth, inChannels, multiplier]`, pointwise `[inChannels, outChannels]`
 * or `[1, 1, inChannels, outChannels]`, dense `[inFeatures, units]`.
 */
export type WeightMap = ReadonlyMap<string, HostTensor>;
