import { describeValue, ValueError } from '@sepconv/tensor';
import type { ModelSpec } from '@sepconv/graph';
import { layerCost, type LayerCost, type ParamCount } from './layer-cost.js';

/** What a whole network costs: the sums of its layers' costs, and each layer's. */
export interface ModelCost {
  readonly name: string;
  /** Convolution and dense multiply-adds: 568,740,352 for MobileNetV1 1.0-224. */
  readonly multAdds: number;
  /** `2 × multAdds`. */
  readonly flops: number;
  /** Keras's `total` (4,253,864 for MobileNetV1 1.0-224), `trainable`, and the paper's `weights` (4,209,088). */
  readonly params: ParamCount;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** Sum of every layer's bytes: each layer reads its inputs from memory and writes its output. */
  readonly bytes: number;
  /** `flops / bytes`. */
  readonly arithmeticIntensity: number;
  /** In the spec's order. */
  readonly layers: readonly LayerCost[];
}

/**
 * Counts a network layer by layer (see {@link layerCost}) and sums.
 * @throws ValueError when `spec` is not a model spec; the errors of {@link layerCost}.
 */
export function modelCost(spec: ModelSpec): ModelCost {
  if (typeof spec !== 'object' || spec === null || !Array.isArray(spec.layers)) {
    throw new ValueError('modelCost', 'spec', `spec must be a model spec with a layers array, got ${describeValue(spec)}`);
  }
  const layers = spec.layers.map(layerCost);
  const sum = (pick: (cost: LayerCost) => number): number => layers.reduce((total, cost) => total + pick(cost), 0);
  const flops = sum((c) => c.flops);
  const bytes = sum((c) => c.bytes);
  return {
    name: spec.name,
    multAdds: sum((c) => c.multAdds),
    flops,
    params: { total: sum((c) => c.params.total), trainable: sum((c) => c.params.trainable), weights: sum((c) => c.params.weights) },
    bytesRead: sum((c) => c.bytesRead),
    bytesWritten: sum((c) => c.bytesWritten),
    bytes,
    arithmeticIntensity: bytes === 0 ? 0 : flops / bytes,
    layers,
  };
}
