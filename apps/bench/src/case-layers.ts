import { layerCost, type LayerCost } from '@sepconv/cost';
import { conv2dLayer, depthwiseConv2dLayer, pointwiseConv2dLayer, separableConv2dLayer, type LayerSpec } from '@sepconv/graph';
import type { LayerCase } from './cases/layer-case.js';

/**
 * A case as the cost model's layer specs. The fused separable call is one
 * `separableConv2d` layer (its intermediate never goes to memory); depthwise-then-pointwise
 * is two layers, each reading and writing its own activations.
 */
export function caseLayers(layerCase: LayerCase): LayerSpec[] {
  const { inputShape, kernelSize, strides, padding, outChannels, activation } = layerCase;
  const depthwise = () =>
    depthwiseConv2dLayer({ name: `${layerCase.id}/depthwise`, inputShape, kernelSize, strides, padding, useBias: true, activation });
  switch (layerCase.op) {
    case 'conv2d':
      return [conv2dLayer({ name: layerCase.id, inputShape, kernelSize, outChannels, strides, padding, useBias: true, activation })];
    case 'depthwiseConv2d':
      return [depthwise()];
    case 'pointwiseConv2d':
      return [pointwiseConv2dLayer({ name: layerCase.id, inputShape, outChannels, useBias: true, activation })];
    case 'separableConv2d':
      return [
        separableConv2dLayer({
          name: layerCase.id,
          inputShape,
          kernelSize,
          outChannels,
          strides,
          padding,
          depthwiseUseBias: true,
          depthwiseActivation: activation,
          useBias: true,
          activation,
        }),
      ];
    case 'depthwiseThenPointwise': {
      const first = depthwise();
      return [
        first,
        pointwiseConv2dLayer({ name: `${layerCase.id}/pointwise`, inputShape: first.outputShape, outChannels, useBias: true, activation }),
      ];
    }
  }
}

/** The summed cost of a case's layers. */
export function caseCost(layerCase: LayerCase): Pick<LayerCost, 'multAdds' | 'flops' | 'bytes' | 'arithmeticIntensity'> {
  const costs = caseLayers(layerCase).map((layer) => layerCost(layer));
  const multAdds = costs.reduce((sum, c) => sum + c.multAdds, 0);
  const flops = costs.reduce((sum, c) => sum + c.flops, 0);
  const bytes = costs.reduce((sum, c) => sum + c.bytes, 0);
  return { multAdds, flops, bytes, arithmeticIntensity: bytes === 0 ? 0 : flops / bytes };
}
