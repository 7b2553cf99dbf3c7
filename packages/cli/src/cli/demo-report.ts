import { compareSeparable, formatCount, formatMillions, formatRatio, modelCost, textTable, type SeparableComparison } from '@sepconv/cost';
import { mobilenetV1 } from '@sepconv/mobilenet';
import { demoLayers } from './demo-layers.js';

/** What `sepconv-cost demo` computes: per-layer comparisons and the whole network both ways. */
export interface DemoResult {
  readonly layers: readonly (SeparableComparison & {
    readonly name: string;
    readonly inputShape: readonly number[];
    readonly outChannels: number;
    readonly stride: number;
  })[];
  readonly network: {
    readonly name: string;
    readonly standardMultAdds: number;
    readonly separableMultAdds: number;
    readonly standardParams: number;
    readonly separableParams: number;
  };
}

/** Computes the demo's numbers. */
export function demoResult(): DemoResult {
  const layers = demoLayers().map((layer) => ({
    name: layer.name,
    inputShape: layer.inputShape,
    outChannels: layer.outChannels,
    stride: layer.strides[0],
    ...compareSeparable(layer),
  }));
  const separable = modelCost(mobilenetV1());
  const standard = modelCost(mobilenetV1({ convolutions: 'standard' }));
  return {
    layers,
    network: {
      name: 'MobileNetV1 1.0-224',
      standardMultAdds: standard.multAdds,
      separableMultAdds: separable.multAdds,
      standardParams: standard.params.weights,
      separableParams: separable.params.weights,
    },
  };
}

/** The demo as text: a table of MobileNet-like layers, standard against separable. */
export function demoReport(result: DemoResult): string {
  const header = ['Layer', 'Input', 'Out', 'Stride', 'Standard', 'Separable', 'Ratio', '1/N+1/9', 'Fewer'];
  const rows = result.layers.map((layer) => [
    layer.name,
    `${layer.inputShape[1]}x${layer.inputShape[2]}x${layer.inputShape[3]}`,
    String(layer.outChannels),
    String(layer.stride),
    formatCount(layer.standard.multAdds),
    formatCount(layer.separable.multAdds),
    formatRatio(layer.ratio.multAdds, 4),
    formatRatio(layer.reduction, 4),
    `${formatRatio(1 / layer.ratio.multAdds, 1)}x`,
  ]);
  const { network } = result;
  return [
    'Standard 3x3 convolution vs depthwise separable (depthwise 3x3 + pointwise 1x1),',
    'multiply-adds at the shapes of MobileNetV1 1.0-224 (Howard et al. 2017, Table 1):',
    '',
    ...textTable(header, rows, [false, true, true, true, true, true, true, true, true]),
    `${network.name}, whole network: ${formatMillions(network.standardMultAdds)} mult-adds and ${formatMillions(network.standardParams, 1)} weights with standard convolutions,`,
    `${formatMillions(network.separableMultAdds)} and ${formatMillions(network.separableParams, 1)} depthwise separable: ${formatRatio(network.standardMultAdds / network.separableMultAdds, 1)}x fewer mult-adds, ${formatRatio(network.standardParams / network.separableParams, 1)}x fewer weights.`,
    '',
  ].join('\n');
}
