import { describeValue, formatShape, ValueError } from '@sepconv/tensor';
import type { ModelSpec } from '@sepconv/graph';
import {
  checkDeviceProfile,
  formatCount,
  formatMillions,
  formatSeconds,
  modelCost,
  predictFromCost,
  textTable,
  type DeviceProfile,
} from '@sepconv/cost';

/** Options of {@link summary}. */
export interface SummaryOptions {
  /** Adds each layer's roofline time and bound, and the network's predicted time. */
  profile?: DeviceProfile | undefined;
}

/**
 * A per-layer table in the manner of Keras's `model.summary()` — layer name and type, output
 * shape, parameters — plus multiply-adds per layer, then the totals: Keras's total, trainable
 * and non-trainable parameters, the papers' weight count, multiply-adds and FLOPs. With a
 * device `profile`, each layer's roofline time and bound too.
 * @throws ValueError for a malformed spec or profile.
 */
export function summary(spec: ModelSpec, options: SummaryOptions = {}): string {
  if (typeof options !== 'object' || options === null) {
    throw new ValueError('summary', 'options', `options must be an object, got ${describeValue(options)}`);
  }
  const { profile } = options;
  if (profile !== undefined) checkDeviceProfile('summary', profile);
  const cost = modelCost(spec);
  const header = ['Layer (type)', 'Output shape', 'Params', 'Mult-adds', ...(profile ? ['Time', 'Bound'] : [])];
  const rows: string[][] = spec.inputs.map((input) => [`${input.name} (input)`, formatShape(input.shape), '0', '0', ...(profile ? ['', ''] : [])]);
  for (const [index, layer] of spec.layers.entries()) {
    const layerCost = cost.layers[index]!;
    const row = [
      `${layer.name} (${layer.type})`,
      formatShape(layer.outputShape),
      formatCount(layerCost.params.total),
      formatCount(layerCost.multAdds),
    ];
    if (profile) {
      const prediction = predictFromCost(layerCost, profile);
      row.push(formatSeconds(prediction.seconds), prediction.bound);
    }
    rows.push(row);
  }
  const lines = [`Model: "${spec.name}"`, ...textTable(header, rows, [false, false, true, true, true, false])];
  lines.push(
    `Total params: ${formatCount(cost.params.total)}`,
    `Trainable params: ${formatCount(cost.params.trainable)}`,
    `Non-trainable params: ${formatCount(cost.params.total - cost.params.trainable)}`,
    `Weights (conv and dense, the papers' count): ${formatCount(cost.params.weights)} (${formatMillions(cost.params.weights, 2)})`,
    `Mult-adds: ${formatCount(cost.multAdds)} (${formatMillions(cost.multAdds)})`,
    `FLOPs: ${formatCount(cost.flops)}`,
  );
  if (profile) {
    const seconds = cost.layers.reduce((total, layer) => total + predictFromCost(layer, profile).seconds, 0);
    lines.push(
      `Predicted time on ${profile.name} (roofline, ${formatCount(profile.peakFlops / 1e9)} GFLOP/s, ${formatCount(profile.memoryBandwidth / 1e9)} GB/s): ${formatSeconds(seconds)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
