import { describeValue, ValueError } from '@sepconv/tensor';
import { layerWeights, type LayerSpec, type ModelSpec } from '@sepconv/graph';
import { fusedLayers } from './fused-layers.js';
import { checkCostDType, DTYPE_BYTES, type CostDType } from './cost-dtype.js';
import { layerCost, type LayerCost, type ParamCount } from './layer-cost.js';

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
  /**
   * `'int8'` counts the network as a quantized model runs it: int8 activations and kernels,
   * int32 biases and per-channel requantization (see `DTYPE_BYTES`), and its arithmetic at the
   * device's int8 peak. Default `'float32'`. A quantized model is always run fused, so count it
   * with `fused: true` too.
   */
  readonly dtype?: CostDType | undefined;
}

/** What a whole network costs: the sums of its layers' costs, and each layer's. */
export interface ModelCost {
  readonly name: string;
  readonly dtype: CostDType;
  /** Convolution and dense multiply-adds: 568,740,352 for MobileNetV1 1.0-224. */
  readonly multAdds: number;
  /** `2 × multAdds`. */
  readonly flops: number;
  /** Keras's `total` (4,253,864 for MobileNetV1 1.0-224), `trainable`, and the paper's `weights` (4,209,088). */
  readonly params: ParamCount;
  readonly bytesRead: number;
  /**
   * The parameters' bytes, the network's size as stored: float32 unfused is Keras's parameters × 4
   * (17,015,456 for MobileNetV1 1.0-224); int8 fused is int8 kernels with int32 biases (batch norm
   * folded) and requantization.
   */
  readonly paramBytes: number;
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
  return { ...cost, bytesRead: 0, paramBytes: 0, bytesWritten: 0, bytes: 0, arithmeticIntensity: 0, fusedInto: producer };
}

/** A producer whose batch norm was folded reads the folded bias, unless it already had one. */
function withFoldedBias(cost: LayerCost, layer: LayerSpec, norm: LayerSpec): LayerCost {
  if (layerWeights(layer).some((weight) => weight.role === 'bias')) return cost;
  const channels = norm.outputShape[norm.outputShape.length - 1] ?? 0;
  const biasBytes = channels * DTYPE_BYTES[cost.dtype].parameter;
  const bytesRead = cost.bytesRead + biasBytes;
  const bytes = bytesRead + cost.bytesWritten;
  return { ...cost, bytesRead, paramBytes: cost.paramBytes + biasBytes, bytes, arithmeticIntensity: cost.flops / bytes };
}

/** Every layer's cost with the folded and fused layers of {@link fusedLayers} moving nothing. */
function fusedCosts(spec: ModelSpec, dtype: CostDType): LayerCost[] {
  const into = fusedLayers(spec);
  const byName = new Map(spec.layers.map((layer) => [layer.name, layer]));
  const folded = new Map([...into].filter(([name]) => byName.get(name)?.type === 'batchNorm').map(([name, producer]) => [producer, name]));
  return spec.layers.map((layer) => {
    const cost = layerCost(layer, { dtype });
    const producer = into.get(layer.name);
    if (producer !== undefined) return foldedCost(cost, producer);
    const norm = byName.get(folded.get(layer.name) ?? '');
    return norm === undefined ? cost : withFoldedBias(cost, layer, norm);
  });
}

/**
 * Counts a network layer by layer (see {@link layerCost}) and sums; with `{ fused: true }`, as
 * sepconv runs it, batch norm folded and activations fused; with `{ dtype: 'int8' }`, as a
 * quantized model (see {@link ModelCostOptions}).
 * @throws ValueError when `spec` is not a model spec, `options.fused` is not a boolean or `options.dtype`
 * not a dtype; the errors of {@link layerCost}.
 */
export function modelCost(spec: ModelSpec, options: ModelCostOptions = {}): ModelCost {
  if (typeof spec !== 'object' || spec === null || !Array.isArray(spec.layers)) {
    throw new ValueError('modelCost', 'spec', `spec must be a model spec with a layers array, got ${describeValue(spec)}`);
  }
  const fused = options?.fused ?? false;
  if (typeof fused !== 'boolean')
    throw new ValueError('modelCost', 'options.fused', `options.fused must be true or false, got ${describeValue(fused)}`);
  const dtype = checkCostDType('modelCost', 'options.dtype', options?.dtype);
  const layers = fused ? fusedCosts(spec, dtype) : spec.layers.map((layer) => layerCost(layer, { dtype }));
  const sum = (pick: (cost: LayerCost) => number): number => layers.reduce((total, cost) => total + pick(cost), 0);
  const flops = sum((c) => c.flops);
  const bytes = sum((c) => c.bytes);
  return {
    name: spec.name,
    dtype,
    multAdds: sum((c) => c.multAdds),
    flops,
    params: { total: sum((c) => c.params.total), trainable: sum((c) => c.params.trainable), weights: sum((c) => c.params.weights) },
    bytesRead: sum((c) => c.bytesRead),
    paramBytes: sum((c) => c.paramBytes),
    bytesWritten: sum((c) => c.bytesWritten),
    bytes,
    arithmeticIntensity: bytes === 0 ? 0 : flops / bytes,
    layers,
  };
}
