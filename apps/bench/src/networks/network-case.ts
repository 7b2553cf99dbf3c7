import { compileModel, mobilenetV1, mobilenetV2, randomWeights, type ModelPlan, type WeightMap } from '@sepconv/mobilenet';
import type { ModelSpec } from '@sepconv/graph';

/**
 * One whole network to benchmark, as plain data: a MobileNet at a width, resolution and
 * batch, random weights (seeded), batch norm folded. Every contender runs the same folded
 * weights, so outputs are cross-checked like the layer suite's.
 */
export interface NetworkCase {
  /** e.g. `mobilenet-v1-1.00-224-b1`. */
  readonly id: string;
  readonly title: string;
  readonly model: 'mobilenet-v1' | 'mobilenet-v2';
  readonly alpha: number;
  readonly resolution: number;
  readonly batch: number;
  /** Cases in one series are compared for scaling: time against multiply-adds. */
  readonly series?: 'batch' | 'resolution' | undefined;
}

/** A case's spec, weights, and the compiled plan every contender is built from. */
export interface BuiltNetwork {
  readonly spec: ModelSpec;
  readonly weights: WeightMap;
  readonly plan: ModelPlan;
}

/** Builds a case's network (deterministic for a seed). */
export function buildNetwork(networkCase: NetworkCase, seed = 1): BuiltNetwork {
  const options = { alpha: networkCase.alpha, resolution: networkCase.resolution, batch: networkCase.batch };
  const spec = networkCase.model === 'mobilenet-v1' ? mobilenetV1(options) : mobilenetV2(options);
  const weights = randomWeights(spec, seed);
  return { spec, weights, plan: compileModel(spec, weights) };
}

function networkCase(model: NetworkCase['model'], alpha: number, resolution: number, batch: number, series?: NetworkCase['series']): NetworkCase {
  const version = model === 'mobilenet-v1' ? 'V1' : 'V2';
  return {
    id: `${model}-${alpha.toFixed(2)}-${resolution}-b${batch}`,
    title: `MobileNet${version} ${alpha.toFixed(2)}-${resolution}, batch ${batch}`,
    model,
    alpha,
    resolution,
    batch,
    series,
  };
}

/** The headline cases: MobileNetV1 and V2 1.0-224, batch 1. */
export const mobilenetNetworks: readonly NetworkCase[] = [networkCase('mobilenet-v1', 1, 224, 1), networkCase('mobilenet-v2', 1, 224, 1)];

/**
 * MobileNetV1 1.0 against batch (1…16 at 224) and resolution (128…448 at batch 1): time
 * should grow with the multiply-adds.
 */
export const mobilenetScaling: readonly NetworkCase[] = [
  ...[1, 2, 4, 8, 16].map((batch) => networkCase('mobilenet-v1', 1, 224, batch, 'batch')),
  ...[128, 160, 192, 224, 320, 448].map((resolution) => networkCase('mobilenet-v1', 1, resolution, 1, 'resolution')),
];

/** Tiny networks for the smoke test (seconds). */
export const quickNetworks: readonly NetworkCase[] = [networkCase('mobilenet-v1', 0.25, 64, 1), networkCase('mobilenet-v2', 0.35, 64, 1)];
