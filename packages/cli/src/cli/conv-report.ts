import type { Conv2dLayer } from '@sepconv/graph';
import {
  formatCount,
  formatRatio,
  formatSeconds,
  predictFromCost,
  textTable,
  type DeviceProfile,
  type LayerCost,
  type SeparableComparison,
} from '@sepconv/cost';

/** The text the `conv` command prints: standard against separable, both steps, the ratios. */
export function convReport(layer: Conv2dLayer, comparison: SeparableComparison, profile?: DeviceProfile): string {
  const [kernelHeight, kernelWidth] = layer.kernelSize;
  const kernel = `${kernelHeight}x${kernelWidth}`;
  const padding = typeof layer.padding === 'string' ? layer.padding : 'explicit';
  const header = ['', 'Mult-adds', 'Params', 'Bytes', ...(profile ? ['Time', 'Bound'] : [])];
  const row = (label: string, cost: LayerCost): string[] => {
    const cells = [label, formatCount(cost.multAdds), formatCount(cost.params.total), formatCount(cost.bytes)];
    if (profile) {
      const prediction = predictFromCost(cost, profile);
      cells.push(formatSeconds(prediction.seconds), prediction.bound);
    }
    return cells;
  };
  const rows = [
    row(`standard ${kernel} conv`, comparison.standard),
    row('depthwise separable', comparison.separable),
    row(`  depthwise ${kernel}`, comparison.depthwise),
    row('  pointwise 1x1', comparison.pointwise),
  ];
  const { multAdds, params } = comparison.ratio;
  const kernelArea = kernelHeight * kernelWidth;
  return [
    `Input [${layer.inputShape.join(', ')}] -> output [${layer.outputShape.join(', ')}], ${kernel} kernel, stride ${layer.strides.join('x')}, padding ${padding}${layer.useBias ? ', with bias' : ''}`,
    '',
    ...textTable(header, rows, [false, true, true, true, true, false]),
    `separable / standard: ${formatRatio(multAdds, 4)} of the mult-adds (${formatRatio(1 / multAdds)}x fewer), ${formatRatio(params, 4)} of the params`,
    `1/N + 1/D_K^2 = 1/${layer.outChannels} + 1/${kernelArea} = ${formatRatio(comparison.reduction, 4)}`,
    '',
  ].join('\n');
}
