import { describeValue, ValueError } from '@sepconv/tensor';
import { layerWeights, type LayerSpec, type ModelSpec } from '@sepconv/graph';
import { fusedLayers } from './fused-layers.js';
import { FLOAT32_BYTES, layerCost, type LayerCost, type ParamCount } from './layer-cost.js';

/** How {@link modelCost} and `predictModel` count a network. */
export interface ModelCostOptions {
  /**
   * Count the network as sepconv runs it (`@sepconv/mobilenet`'s `instantiate`): each batch
   * norm folded into the convolution before it and each ReLU/ReLU6 fused into its kernel, so
   * neither reads or writes memory (their layers' bytes are 0 and `fusedInto` names the
   * convolution, which reads the folded bias). Default `false`: every layer is its own memory
   * pass, as Keras runs the graph. Multiply-adds and parameters are the same either way.
   */
  readonly fused?: boolean | undefined;
}

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

/** A layer folded or fused into `producer`: it moves no data of its own. */
function foldedCost(cost: LayerCost, producer: string): LayerCost {
  return { ...cost, bytesRead: 0, bytesWritten: 0, bytes: 0, arithmeticIntensity: 0, fusedInto: producer };
}

/** A producer whose batch norm was folded reads the folded bias, unless it already had one. */
function withFoldedBias(cost: LayerCost, layer: LayerSpec, norm: LayerSpec): LayerCost {
  if (layerWeights(layer).some((weight) => weight.role === 'bias')) return cost;
  const channels = norm.outputShape[norm.outputShape.length - 1] ?? 0;
  const bytesRead = cost.bytesRead + channels * FLOAT32_BYTES;
  const bytes = bytesRead + cost.bytesWritten;
  return { ...cost, bytesRead, bytes, arithmeticIntensity: cost.flops / bytes };
}

/** Every layer's cost with the folded and fused layers of {@link fusedLayers} moving nothing. */
function fusedCosts(spec: ModelSpec): LayerCost[] {
  const into = fusedLayers(spec);
  const byName = new Map(spec.layers.map((layer) => [layer.name, layer]));
  const folded = new Map([...into].filter(([name]) => byName.get(name)?.type === 'batchNorm').map(([name, producer]) => [producer, name]));
  return spec.layers.map((layer) => {
    const cost = layerCost(layer);
    const producer = into.get(layer.name);
    if (producer !== undefined) return foldedCost(cost, producer);
    const norm = byName.get(folded.get(layer.name) ?? '');
    return norm === undefined ? cost : withFoldedBias(cost, layer, norm);
  });
}

/**
 * Counts a network layer by layer (see {@link layerCost}) and sums; with `{ fused: true }`, as
 * sepconv runs it, batch norm folded and activations fused (see {@link ModelCostOptions}).
 * @throws ValueError when `spec` is not a model spec or `options.fused` is not a boolean; the errors of {@link layerCost}.
 */
export function modelCost(spec: ModelSpec, options: ModelCostOptions = {}): ModelCost {
  if (typeof spec !== 'object' || spec === null || !Array.isArray(spec.layers)) {
    throw new ValueError('modelCost', 'spec', `spec must be a model spec with a layers array, got ${describeValue(spec)}`);
  }
  const fused = options?.fused ?? false;
  if (typeof fused !== 'boolean')
    throw new ValueError('modelCost', 'options.fused', `options.fused must be true or false, got ${describeValue(fused)}`);
  const layers = fused ? fusedCosts(spec) : spec.layers.map(layerCost);
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
