import { describeValue, ValueError } from '@sepconv/tensor';
import {
  conv2dLayer,
  depthwiseConv2dLayer,
  pointwiseConv2dLayer,
  separableConv2dLayer,
  type Conv2dLayer,
  type SeparableConv2dLayer,
} from '@sepconv/graph';
import { layerCost, type LayerCost } from './layer-cost.js';
import { separableReduction } from './separable-reduction.js';

/** A standard convolution against the depthwise separable convolution that replaces it. */
export interface SeparableComparison {
  readonly standard: LayerCost;
  /** The replacement counted as one fused layer. */
  readonly separable: LayerCost;
  /** Its depthwise step alone (the intermediate written to memory). */
  readonly depthwise: LayerCost;
  /** Its pointwise step alone (the intermediate read from memory). */
  readonly pointwise: LayerCost;
  /**
   * `separable / standard` for multiply-adds and for total parameters. Both counts grow with the
   * batch, so the ratios are per example: an empty batch (no work either way) has a batch of one's.
   */
  readonly ratio: { readonly multAdds: number; readonly params: number };
  /** `1/N + 1/D_K²`, which `ratio.multAdds` equals for a multiplier of 1. */
  readonly reduction: number;
}

/**
 * The depthwise separable replacement of a standard convolution: the same kernel size,
 * strides, dilations and padding in the depthwise step (multiplier 1), the same output
 * channels, bias and activation after the pointwise step. Named `<name>_separable`.
 */
export function separableReplacement(layer: Conv2dLayer): SeparableConv2dLayer {
  if (typeof layer !== 'object' || layer === null || layer.type !== 'conv2d') {
    throw new ValueError('separableReplacement', 'layer', `layer must be a conv2d layer spec, got ${describeValue(layer)}`);
  }
  return separableConv2dLayer({
    name: `${layer.name}_separable`,
    inputShape: layer.inputShape,
    kernelSize: layer.kernelSize,
    outChannels: layer.outChannels,
    strides: layer.strides,
    dilations: layer.dilations,
    padding: layer.padding,
    useBias: layer.useBias,
    activation: layer.activation,
  });
}

/** The costs of `layer` and its replacement for a batch of one. */
function exampleCosts(layer: Conv2dLayer): { standard: LayerCost; separable: LayerCost } {
  const { name, kernelSize, outChannels, strides, dilations, padding, useBias, activation } = layer;
  const one = conv2dLayer({
    name,
    inputShape: [1, ...layer.inputShape.slice(1)],
    kernelSize,
    outChannels,
    strides,
    dilations,
    padding,
    useBias,
    activation,
  });
  return { standard: layerCost(one), separable: layerCost(separableReplacement(one)) };
}

/**
 * Compares a standard convolution with its separable replacement (Howard et al. 2017,
 * Table 3): both costs, the two steps of the separable one, and the ratios.
 * @throws ValueError naming `separableReplacement` when `layer` is not a conv2d layer spec.
 */
export function compareSeparable(layer: Conv2dLayer): SeparableComparison {
  const replacement = separableReplacement(layer);
  const depthwise = depthwiseConv2dLayer({
    name: `${layer.name}_dw`,
    inputShape: layer.inputShape,
    kernelSize: layer.kernelSize,
    strides: layer.strides,
    dilations: layer.dilations,
    padding: layer.padding,
  });
  const pointwise = pointwiseConv2dLayer({
    name: `${layer.name}_pw`,
    inputShape: depthwise.outputShape,
    outChannels: layer.outChannels,
    useBias: layer.useBias,
    activation: layer.activation,
  });
  const standard = layerCost(layer);
  const separable = layerCost(replacement);
  // 0 / 0 for an empty batch: take the ratio where there is work, one example.
  const counted = standard.multAdds > 0 ? { standard, separable } : exampleCosts(layer);
  return {
    standard,
    separable,
    depthwise: layerCost(depthwise),
    pointwise: layerCost(pointwise),
    ratio: {
      multAdds: counted.separable.multAdds / counted.standard.multAdds,
      params: separable.params.total / standard.params.total,
    },
    reduction: separableReduction({ outChannels: layer.outChannels, kernelSize: layer.kernelSize }),
  };
}
