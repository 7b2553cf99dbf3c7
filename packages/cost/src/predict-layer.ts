import { describeValue, ValueError } from '@sepconv/tensor';
import type { LayerSpec } from '@sepconv/graph';
import { checkDeviceProfile, type DeviceProfile } from './device-profile.js';
import { checkCostDType } from './cost-dtype.js';
import { layerCost, type LayerCost, type LayerCostOptions } from './layer-cost.js';

/** The roofline model's prediction for one layer. */
export interface LayerPrediction {
  readonly name: string;
  readonly type: LayerCost['type'];
  /** `max(computeSeconds, memorySeconds)`: compute and data movement overlap perfectly. */
  readonly seconds: number;
  /** `flops / peakFlops`, or `flops / peakInt8Ops` for an int8 cost. */
  readonly computeSeconds: number;
  /** `bytes / memoryBandwidth`. */
  readonly memorySeconds: number;
  /** The larger of the two; a tie counts as `'compute'`, a layer with no work as `'memory'`. */
  readonly bound: 'compute' | 'memory';
}

/**
 * Checks that `cost` has the counts the roofline reads: non-negative finite `flops` and `bytes`,
 * a known `dtype` (absent counts as float32), and for an int8 cost a profile with `peakInt8Ops`.
 */
function checkCost(op: string, cost: unknown, profile: DeviceProfile): asserts cost is LayerCost {
  if (typeof cost !== 'object' || cost === null) {
    throw new ValueError(op, 'cost', `cost must be a layer cost (from layerCost or modelCost), got ${describeValue(cost)}`);
  }
  const dtype = checkCostDType(op, 'cost.dtype', (cost as Partial<LayerCost>).dtype);
  if (dtype === 'int8' && profile.peakInt8Ops === undefined) {
    throw new ValueError(
      op,
      'profile.peakInt8Ops',
      `profile.peakInt8Ops is needed to predict an int8 cost, got undefined (profile '${profile.name}')`,
    );
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
  const peak = cost.dtype === 'int8' ? profile.peakInt8Ops! : profile.peakFlops;
  const computeSeconds = cost.flops / peak;
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
  checkCost('predictFromCost', cost, profile);
  return roofline(cost, profile);
}

/**
 * Predicts a layer's time on a device with the roofline model: the layer takes as long as
 * its arithmetic at peak rate (the int8 peak with `{ dtype: 'int8' }`) or its data movement at
 * full bandwidth, whichever is longer. A lower bound: real kernels reach neither peak.
 * @throws ValueError naming `predictLayer` and the profile field at fault (`profile.peakInt8Ops` for int8 without one).
 */
export function predictLayer(layer: LayerSpec, profile: DeviceProfile, options: LayerCostOptions = {}): LayerPrediction {
  checkDeviceProfile('predictLayer', profile);
  const cost = layerCost(layer, options);
  checkCost('predictLayer', cost, profile);
  return roofline(cost, profile);
}
