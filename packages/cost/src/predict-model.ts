import type { ModelSpec } from '@sepconv/graph';
import { checkDeviceProfile, type DeviceProfile } from './device-profile.js';
import { modelCost, type ModelCostOptions } from './model-cost.js';
import { predictFromCost, type LayerPrediction } from './predict-layer.js';

/** The roofline model's prediction for a network run layer after layer. */
export interface ModelPrediction {
  readonly name: string;
  readonly profile: DeviceProfile;
  /** Sum of the layers' `seconds` (layers run one after another). */
  readonly seconds: number;
  /** Sum of the layers' `computeSeconds`. */
  readonly computeSeconds: number;
  /** Sum of the layers' `memorySeconds`. */
  readonly memorySeconds: number;
  /** Seconds spent in compute-bound and in memory-bound layers. */
  readonly secondsByBound: { readonly compute: number; readonly memory: number };
  /** In the spec's order. */
  readonly layers: readonly LayerPrediction[];
}

/**
 * Predicts a network's time on a device: each layer by the roofline model
 * (see `predictLayer`), summed. `{ fused: true }` counts it as sepconv runs it, batch norm
 * folded and activations fused, so they cost no memory pass; `{ dtype: 'int8' }` as a quantized
 * model, at the profile's `peakInt8Ops` (see `ModelCostOptions`).
 * @throws ValueError naming `predictModel` and the profile field at fault; the errors of `modelCost`.
 */
export function predictModel(spec: ModelSpec, profile: DeviceProfile, options: ModelCostOptions = {}): ModelPrediction {
  checkDeviceProfile('predictModel', profile);
  // Each layer checks the profile again (a few comparisons): errors above name predictModel first.
  const layers = modelCost(spec, options).layers.map((cost) => predictFromCost(cost, profile));
  const sum = (pick: (p: LayerPrediction) => number): number => layers.reduce((total, p) => total + pick(p), 0);
  return {
    name: spec.name,
    profile: {
      name: profile.name,
      peakFlops: profile.peakFlops,
      memoryBandwidth: profile.memoryBandwidth,
      ...(profile.peakInt8Ops === undefined ? {} : { peakInt8Ops: profile.peakInt8Ops }),
    },
    seconds: sum((p) => p.seconds),
    computeSeconds: sum((p) => p.computeSeconds),
    memorySeconds: sum((p) => p.memorySeconds),
    secondsByBound: {
      compute: sum((p) => (p.bound === 'compute' ? p.seconds : 0)),
      memory: sum((p) => (p.bound === 'memory' ? p.seconds : 0)),
    },
    layers,
  };
}
