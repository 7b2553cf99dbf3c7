import { describeValue, ValueError } from '@sepconv/tensor';
import type { LayerSpec } from '@sepconv/graph';
import { checkDeviceProfile, type DeviceProfile } from './device-profile.js';
import { layerCost, type LayerCost } from './layer-cost.js';

/** The roofline model's prediction for one layer. */
export interface LayerPrediction {
  readonly name: string;
  readonly type: LayerCost['type'];
  /** `max(computeSeconds, memorySeconds)`: compute and data movement overlap perfectly. */
  readonly seconds: number;
  /** `flops / peakFlops`. */
  readonly computeSeconds: number;
  /** `bytes / memoryBandwidth`. */
  readonly memorySeconds: number;
  /** The larger of the two; a tie counts as `'compute'`, a layer with no work as `'memory'`. */
  readonly bound: 'compute' | 'memory';
}

/** Checks that `cost` has the counts the roofline reads: non-negative finite `flops` and `bytes`. */
function checkCost(op: string, cost: unknown): asserts cost is LayerCost {
  if (typeof cost !== 'object' || cost === null) {
    throw new ValueError(op, 'cost', `cost must be a layer cost (from layerCost or modelCost), got ${describeValue(cost)}`);
  }
  for (const field of ['flops', 'bytes'] as const) {
    const value = (cost as Record<string, unknown>)[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new ValueError(op, `cost.${field}`, `cost.${field} must be a non-negative finite number, got ${describeValue(value)}`);
    }
  }
}

/** The roofline itself, on a checked cost and profile. */
function roofline(cost: LayerCost, profile: DeviceProfile): LayerPrediction {
  const computeSeconds = cost.flops / profile.peakFlops;
  const memorySeconds = cost.bytes / profile.memoryBandwidth;
  return {
    name: cost.name,
    type: cost.type,
    seconds: Math.max(computeSeconds, memorySeconds),
    computeSeconds,
    memorySeconds,
    bound: computeSeconds > 0 && computeSeconds >= memorySeconds ? 'compute' : 'memory',
  };
}

/**
 * The roofline of an already counted layer (saves recounting when the cost is at hand), with
 * the same checks as {@link predictLayer}: a zero, negative or infinite rate is an error, never
 * a time of `Infinity` or 0 seconds.
 * @throws ValueError naming `predictFromCost` and the profile or cost field at fault.
 */
export function predictFromCost(cost: LayerCost, profile: DeviceProfile): LayerPrediction {
  checkDeviceProfile('predictFromCost', profile);
  checkCost('predictFromCost', cost);
  return roofline(cost, profile);
}

/**
 * Predicts a layer's time on a device with the roofline model: the layer takes as long as
 * its arithmetic at peak rate or its data movement at full bandwidth, whichever is longer.
 * A lower bound: real kernels reach neither peak.
 * @throws ValueError naming `predictLayer` and the profile field at fault.
 */
export function predictLayer(layer: LayerSpec, profile: DeviceProfile): LayerPrediction {
  checkDeviceProfile('predictLayer', profile);
  return roofline(layerCost(layer), profile);
}
