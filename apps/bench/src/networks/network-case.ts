import {
  compileModel,
  loadOnnxModel,
  mobilenetV1,
  mobilenetV2,
  mobilenetV3,
  randomWeights,
  type ModelPlan,
  type WeightMap,
} from '@sepconv/mobilenet';
import type { ModelSpec } from '@sepconv/graph';
import { torchvisionMobileNetOnnx } from '../onnx/torchvision-mobilenets.js';

/** The networks the suite builds. */
export type NetworkModel = 'mobilenet-v1' | 'mobilenet-v2' | 'mobilenet-v3-large' | 'mobilenet-v3-small';

/**
 * One whole network to benchmark, as plain data: a MobileNet at a width, resolution and
 * batch, random weights (seeded), batch norm folded. Every contender runs the same folded
 * weights, so outputs are cross-checked like the layer suite's.
 *
 * `source: 'onnx'` is a "same .onnx file" case: the network is written once as torchvision's
 * `torch.onnx.export` writes it (batch norm unfolded) and those bytes are what every engine
 * loads — ONNX Runtime's `InferenceSession.create(bytes)`, sepconv's `loadOnnxModel(bytes)` —
 * the comparison a PyTorch user would make. Engines that read no ONNX (TensorFlow.js) skip it.
 */
export interface NetworkCase {
  /** e.g. `mobilenet-v1-1.00-224-b1`; `onnx-mobilenet-v2-1.00-224-b1` for an ONNX-file case. */
  readonly id: string;
  readonly title: string;
  readonly model: NetworkModel;
  /** `'spec'` (default): sepconv's Keras-layout builders; `'onnx'`: one torchvision-layout `.onnx` file. */
  readonly source?: 'spec' | 'onnx' | undefined;
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
  /** An ONNX-file case's model bytes, loaded as they are by every engine that reads ONNX. */
  readonly onnx?: Uint8Array | undefined;
}

/** sepconv's builders for each model (V3 as Keras builds it, its input rescaling included). */
const SPEC_BUILDERS: Record<NetworkModel, (options: { alpha: number; resolution: number; batch: number }) => ModelSpec> = {
  'mobilenet-v1': mobilenetV1,
  'mobilenet-v2': mobilenetV2,
  'mobilenet-v3-large': (options) => mobilenetV3({ variant: 'large', ...options }),
  'mobilenet-v3-small': (options) => mobilenetV3({ variant: 'small', ...options }),
};

/** Builds a case's network (deterministic for a seed). */
export function buildNetwork(networkCase: NetworkCase, seed = 1): BuiltNetwork {
  const options = { alpha: networkCase.alpha, resolution: networkCase.resolution, batch: networkCase.batch };
  if (networkCase.source === 'onnx') {
    if (networkCase.model === 'mobilenet-v1') throw new Error(`${networkCase.id}: torchvision has no MobileNetV1`);
    const onnx = torchvisionMobileNetOnnx({ model: networkCase.model, seed, ...options });
    // What a sepconv user does with the file: NHWC input (the default), weights converted once.
    const { spec, weights } = loadOnnxModel(onnx);
    return { spec, weights, plan: compileModel(spec, weights), onnx };
  }
  const spec = SPEC_BUILDERS[networkCase.model](options);
  const weights = randomWeights(spec, seed);
  return { spec, weights, plan: compileModel(spec, weights) };
}

const TITLES: Record<NetworkModel, string> = {
  'mobilenet-v1': 'MobileNetV1',
  'mobilenet-v2': 'MobileNetV2',
  'mobilenet-v3-large': 'MobileNetV3-Large',
  'mobilenet-v3-small': 'MobileNetV3-Small',
};

function networkCase(
  model: NetworkModel,
  alpha: number,
  resolution: number,
  batch: number,
  series?: NetworkCase['series'],
  source: 'spec' | 'onnx' = 'spec',
): NetworkCase {
  const onnx = source === 'onnx';
  return {
    id: `${onnx ? 'onnx-' : ''}${model}-${alpha.toFixed(2)}-${resolution}-b${batch}`,
    title: `${TITLES[model]} ${alpha.toFixed(2)}-${resolution}, batch ${batch}${onnx ? ', same .onnx file (torchvision layout)' : ''}`,
    model,
    ...(onnx ? { source } : {}),
    alpha,
    resolution,
    batch,
    series,
  };
}

/**
 * The headline cases, batch 1 at 224: MobileNetV1 and V2 1.0, V3-Large and V3-Small 1.0 (as
 * Keras builds them), then torchvision's V2 and V3-Large from one `.onnx` file.
 */
export const mobilenetNetworks: readonly NetworkCase[] = [
  networkCase('mobilenet-v1', 1, 224, 1),
  networkCase('mobilenet-v2', 1, 224, 1),
  networkCase('mobilenet-v3-large', 1, 224, 1),
  networkCase('mobilenet-v3-small', 1, 224, 1),
  networkCase('mobilenet-v2', 1, 224, 1, undefined, 'onnx'),
  networkCase('mobilenet-v3-large', 1, 224, 1, undefined, 'onnx'),
];

/**
 * MobileNetV1 1.0 against batch (1…16 at 224) and resolution (128…448 at batch 1): time
 * should grow with the multiply-adds.
 */
export const mobilenetScaling: readonly NetworkCase[] = [
  ...[1, 2, 4, 8, 16].map((batch) => networkCase('mobilenet-v1', 1, 224, batch, 'batch')),
  ...[128, 160, 192, 224, 320, 448].map((resolution) => networkCase('mobilenet-v1', 1, resolution, 1, 'resolution')),
];

/** Tiny networks for the smoke test (seconds): one of each model and source. */
export const quickNetworks: readonly NetworkCase[] = [
  networkCase('mobilenet-v1', 0.25, 64, 1),
  networkCase('mobilenet-v2', 0.35, 64, 1),
  networkCase('mobilenet-v3-large', 0.35, 64, 1),
  networkCase('mobilenet-v3-small', 0.35, 64, 1),
  networkCase('mobilenet-v2', 0.35, 64, 1, undefined, 'onnx'),
  networkCase('mobilenet-v3-large', 0.35, 64, 1, undefined, 'onnx'),
];
