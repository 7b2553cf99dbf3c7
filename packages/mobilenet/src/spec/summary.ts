import { describeValue, formatShape, ValueError } from '@sepconv/tensor';
import type { ModelSpec } from '@sepconv/graph';
import {
  checkCostDType,
  checkDeviceProfile,
  formatCount,
  formatMillions,
  formatSeconds,
  modelCost,
  predictFromCost,
  textTable,
  type CostDType,
  type DeviceProfile,
  type ModelCost,
} from '@sepconv/cost';

/** Options of {@link summary}. */
export interface SummaryOptions {
  /** Adds each layer's roofline time and bound, and the network's predicted time. */
  profile?: DeviceProfile | undefined;
  /**
   * With a `profile`, predict the times as the quantized model runs (`'int8'`: batch norm folded,
   * activations fused, int8 bytes, the profile's `peakInt8Ops`); default `'float32'`, every layer its own pass.
   */
  dtype?: CostDType | undefined;
}

/** `17,015,456 B (17.02 MB)`. */
function formatBytes(bytes: number): string {
  return `${formatCount(bytes)} B (${(bytes / 1e6).toFixed(2)} MB)`;
}

/**
 * A per-layer table in the manner of Keras's `model.summary()` — layer name and type, output
 * shape, parameters — plus multiply-adds per layer, then the totals: Keras's total, trainable
 * and non-trainable parameters, the papers' weight count, multiply-adds and FLOPs, and the
 * parameters' size in bytes as float32 (Keras's parameters × 4) and as an int8 model (int8
 * kernels, int32 biases with batch norm folded, an int32 multiplier and shift per output
 * channel). With a device `profile`, each layer's roofline time and bound too (`dtype` picks
 * the float32 or the int8 count).
 * @throws ValueError for a malformed spec or profile.
 */
export function summary(spec: ModelSpec, options: SummaryOptions = {}): string {
  if (typeof options !== 'object' || options === null) {
    throw new ValueError('summary', 'options', `options must be an object, got ${describeValue(options)}`);
  }
  const { profile } = options;
  if (profile !== undefined) checkDeviceProfile('summary', profile);
  const dtype = checkCostDType('summary', 'options.dtype', options.dtype);
  if (dtype === 'int8' && profile !== undefined && profile.peakInt8Ops === undefined) {
    throw new ValueError(
      'summary',
      'options.profile',
      `options.profile must have peakInt8Ops to predict the int8 model, got none in '${profile.name}'`,
    );
  }
  const cost = modelCost(spec);
  const int8 = modelCost(spec, { fused: true, dtype: 'int8' });
  const timed: ModelCost = dtype === 'int8' ? int8 : cost;
  const header = ['Layer (type)', 'Output shape', 'Params', 'Mult-adds', ...(profile ? ['Time', 'Bound'] : [])];
  const rows: string[][] = spec.inputs.map((input) => [`${input.name} (input)`, formatShape(input.shape), '0', '0', ...(profile ? ['', ''] : [])]);
  for (const [index, layer] of spec.layers.entries()) {
    const layerCost = cost.layers[index]!;
    const timedCost = timed.layers[index]!;
    const row = [
      `${layer.name} (${layer.type})`,
      formatShape(layer.outputShape),
      formatCount(layerCost.params.total),
      formatCount(layerCost.multAdds),
    ];
    if (profile) {
      const prediction = predictFromCost(timedCost, profile);
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
    `Size: float32 ${formatBytes(cost.paramBytes)}; int8 ${formatBytes(int8.paramBytes)}`,
  );
  if (profile) {
    const seconds = timed.layers.reduce((total, layer) => total + predictFromCost(layer, profile).seconds, 0);
    const peak = dtype === 'int8' ? `${formatCount(profile.peakInt8Ops! / 1e9)} int8 GOP/s` : `${formatCount(profile.peakFlops / 1e9)} GFLOP/s`;
    lines.push(
      `Predicted time on ${profile.name} (roofline, ${peak}, ${formatCount(profile.memoryBandwidth / 1e9)} GB/s): ${formatSeconds(seconds)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
