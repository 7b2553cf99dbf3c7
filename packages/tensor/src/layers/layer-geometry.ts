import { convGeometry, outputShape, type Conv2dGeometry, type SeparableConv2dGeometry } from '../conv-geometry.js';
import type { ConvLayer } from './layer-spec.js';
import type { SeparableConv2dLayer } from './separable-conv2d-layer.js';

/**
 * The geometry a kernel would receive for a convolution layer spec, resolved by
 * `convGeometry` (so a spec read back from JSON is validated again).
 * @throws ShapeError / ValueError naming the layer.
 */
export function layerGeometry(layer: ConvLayer): Conv2dGeometry {
  const op = `${layer.type} layer '${layer.name}'`;
  switch (layer.type) {
    case 'conv2d':
      return convGeometry(
        {
          kind: 'conv2d',
          inputShape: layer.inputShape,
          kernelHeight: layer.kernelSize[0],
          kernelWidth: layer.kernelSize[1],
          outChannels: layer.outChannels,
          strides: layer.strides,
          dilations: layer.dilations,
          padding: layer.padding,
          hasBias: layer.useBias,
          activation: layer.activation,
        },
        op,
        'inputShape',
      );
    case 'depthwiseConv2d':
      return convGeometry(
        {
          kind: 'depthwiseConv2d',
          inputShape: layer.inputShape,
          kernelHeight: layer.kernelSize[0],
          kernelWidth: layer.kernelSize[1],
          channelMultiplier: layer.channelMultiplier,
          strides: layer.strides,
          dilations: layer.dilations,
          padding: layer.padding,
          hasBias: layer.useBias,
          activation: layer.activation,
        },
        op,
        'inputShape',
      );
    case 'pointwiseConv2d':
      return convGeometry(
        {
          kind: 'pointwiseConv2d',
          inputShape: layer.inputShape,
          kernelHeight: 1,
          kernelWidth: 1,
          outChannels: layer.outChannels,
          hasBias: layer.useBias,
          activation: layer.activation,
        },
        op,
        'inputShape',
      );
  }
}

/**
 * The geometry of both steps of a separable convolution layer spec (depthwise, then
 * pointwise on its output), resolved by `convGeometry`.
 * @throws ShapeError / ValueError naming the layer.
 */
export function separableLayerGeometry(layer: SeparableConv2dLayer): SeparableConv2dGeometry {
  const op = `separableConv2d layer '${layer.name}'`;
  const depthwise = convGeometry(
    {
      kind: 'depthwiseConv2d',
      inputShape: layer.inputShape,
      kernelHeight: layer.kernelSize[0],
      kernelWidth: layer.kernelSize[1],
      channelMultiplier: layer.channelMultiplier,
      strides: layer.strides,
      dilations: layer.dilations,
      padding: layer.padding,
      hasBias: layer.depthwiseUseBias,
      activation: layer.depthwiseActivation,
    },
    op,
    'inputShape',
  );
  const pointwise = convGeometry(
    {
      kind: 'pointwiseConv2d',
      inputShape: outputShape(depthwise),
      kernelHeight: 1,
      kernelWidth: 1,
      outChannels: layer.outChannels,
      hasBias: layer.useBias,
      activation: layer.activation,
    },
    op,
    'inputShape',
  );
  return { depthwise, pointwise };
}
