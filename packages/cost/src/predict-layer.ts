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

/** The roofline of an already counted layer (saves recounting when the cost is at hand). */
export function predictFromCost(cost: LayerCost, profile: DeviceProfile): LayerPrediction {
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
 * Predicts a layer's time on a device with the roofline model: the layer takes as long as
 * its arithmetic at peak rate or its data movement at full bandwidth, whichever is longer.
 * A lower bound: real kernels reach neither peak.
 * @throws ValueError naming `predictLayer` and the profile field at fault.
 */
export function predictLayer(layer: LayerSpec, profile: DeviceProfile): LayerPrediction {
  checkDeviceProfile('predictLayer', profile);
  return predictFromCost(layerCost(layer), profile);
}
