import { convGeometry, outputShape, type Conv2dGeometry, type ConvShapeSpec, type SeparableConv2dGeometry } from '@sepconv/tensor';
import type { ConvLayer } from './layer-spec.js';
import type { SeparableConv2dLayer } from './separable-conv2d-layer.js';

/** The plain-data convolution a layer spec describes, as `convGeometry` takes it. */
function convShapeSpec(layer: ConvLayer): ConvShapeSpec {
  const common = { inputShape: layer.inputShape, hasBias: layer.useBias, activation: layer.activation };
  if (layer.type === 'pointwiseConv2d') {
    return { ...common, kind: layer.type, kernelHeight: 1, kernelWidth: 1, outChannels: layer.outChannels };
  }
  return {
    ...common,
    kind: layer.type,
    kernelHeight: layer.kernelSize[0],
    kernelWidth: layer.kernelSize[1],
    outChannels: layer.type === 'conv2d' ? layer.outChannels : undefined,
    channelMultiplier: layer.type === 'depthwiseConv2d' ? layer.channelMultiplier : undefined,
    strides: layer.strides,
    dilations: layer.dilations,
    padding: layer.padding,
  };
}

/**
 * The geometry a kernel would receive for a convolution layer spec, resolved by
 * `convGeometry` (so a spec read back from JSON is validated again).
 * @throws ShapeError / ValueError naming the layer.
 */
export function layerGeometry(layer: ConvLayer): Conv2dGeometry {
  return convGeometry(convShapeSpec(layer), `${layer.type} layer '${layer.name}'`, 'inputShape');
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
