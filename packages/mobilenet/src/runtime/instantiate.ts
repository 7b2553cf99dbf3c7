import { describeValue, ValueError, type Backend } from '@sepconv/tensor';
import type { ModelSpec } from '@sepconv/graph';
import { Int8Model } from '../quantize/int8-model.js';
import { compileQuantized, fuseInt8Separable } from '../quantize/quantized-plan.js';
import { isQuantizedSpec, type QuantizedWeightMap } from '../quantize/quantized-model-spec.js';
import { randomWeights } from '../weights/random-weights.js';
import type { WeightMap } from '../weights/weight-map.js';
import { compileModel } from './compile-model.js';
import { PlannedModel, type Model } from './model.js';
import type { TuneCache } from '../tuning/tune-cache.js';
import { resolveTuneOptions, type TuneOptions, type TuneProgress } from '../tuning/tune-options.js';
import { tunePlan } from '../tuning/tune-plan.js';

/** Options of {@link instantiate}. */
export interface InstantiateOptions {
  /**
   * `'random'` (default): seeded He-style weights, for benchmarking; or a {@link WeightMap}
   * by Keras names (from `loadLayersModel`, `loadGraphModel`, …). Every weight must be used
   * and every shape must match the spec. A quantized spec (from `quantizeModel`, or a saved
   * quantized model) takes its {@link QuantizedWeightMap}.
   */
  weights?: 'random' | WeightMap | QuantizedWeightMap | undefined;
  /** Seed of the random weights. Default 1. */
  seed?: number | undefined;
  /** Run depthwise→pointwise pairs as the backend's fused separable kernel. Default true. */
  fuseSeparable?: boolean | undefined;
  /**
   * Pick each convolution's kernel variant by measuring it on this backend (a `TunableBackend`:
   * CPU, WebGPU): `true` with the default budget (`DEFAULT_TUNE_BUDGET_MS`, 2 s), a budget in
   * milliseconds, or {@link TuneOptions}. Candidates are timed in the backend's dispatch order
   * (warm-up, repeats, best), layer geometries in order of the cost model's predicted time, until
   * the budget is spent; the rest keep the backend's dispatch. Results are cached by device
   * fingerprint and geometry (`tuneCache`), and `model.tuning` reports them. Default: off.
   */
  tune?: boolean | number | TuneOptions | undefined;
  /** Where tuning results are kept: default `defaultTuneCache` (this process's memory); `fileTuneCache(path)` or `indexedDbTuneCache()` to keep them. */
  tuneCache?: TuneCache | undefined;
  /** Called as tuning resolves each distinct layer geometry (see {@link TuneProgress}). */
  onProgress?: ((progress: TuneProgress) => void) | undefined;
}

/**
 * Whether global average pooling runs as the backend's `globalPool2d` step rather than a
 * full-window depthwise convolution: as the backend's `loweringPreferences` say (the CPU backend
 * prefers the step, having measured the convolution slower in MobileNetV3's
 * squeeze-and-excitation blocks), and only where it has `globalPool2d`. A backend-declared
 * preference rather than a tuning candidate: an untuned run (the default) needs the right
 * choice too, and it is one choice per backend, measured on its kernels, not one per geometry
 * and device as tuning's are.
 */
const prefersGlobalPoolStep = (backend: Backend): boolean =>
  backend.loweringPreferences?.globalAveragePool === 'globalPool2d' && typeof backend.globalPool2d === 'function';

/**
 * Binds a model spec (e.g. `mobilenetV1()`) to a backend: folds every batch norm into its
 * convolution, fuses biases and ReLU6 into the kernels and depthwise separable blocks into the
 * separable kernel, and places the weights on the backend once; with `tune`, times each
 * convolution's kernel variants on the backend and keeps the fastest (see `model.tuning`). A
 * quantized spec runs in int8 (see `quantizeModel`): float in, float out, and is not tuned.
 * @throws ValueError / ShapeError naming the layer and weight when the weights do not fit the
 * spec; UnsupportedError for a layer kind that does not run; ValueError naming the option for
 * a malformed `tune`, `tuneCache` or `onProgress`.
 */
export async function instantiate(spec: ModelSpec, backend: Backend, options: InstantiateOptions = {}): Promise<Model> {
  const weightsOption = options.weights ?? 'random';
  const tuning = resolveTuneOptions(options.tune, options.tuneCache, options.onProgress);
  if (isQuantizedSpec(spec)) {
    if (!(weightsOption instanceof Map)) {
      throw new ValueError(
        'instantiate',
        'options.weights',
        `a quantized spec needs its weights (a Map from quantizeModel or loadModel), got ${describeValue(weightsOption)}`,
      );
    }
    const compiled = compileQuantized(spec, weightsOption as QuantizedWeightMap);
    // Fused where the backend has the fused int8 kernel (bit-identical to the two steps).
    const fuse = options.fuseSeparable !== false && typeof backend.quantizedSeparableConv2d === 'function';
    return new Int8Model(spec, backend, fuse ? fuseInt8Separable(compiled) : compiled);
  }
  let weights: WeightMap;
  if (weightsOption === 'random') {
    weights = randomWeights(spec, options.seed ?? 1);
  } else if (weightsOption instanceof Map) {
    weights = weightsOption as WeightMap;
  } else {
    throw new ValueError(
      'instantiate',
      'options.weights',
      `options.weights must be 'random' or a Map of weights by name, got ${describeValue(weightsOption)}`,
    );
  }
  const plan = compileModel(spec, weights, {
    fuseSeparable: options.fuseSeparable,
    globalPoolStep: prefersGlobalPoolStep(backend),
    // Residual adds fold into the convolutions the backend adds a residual in.
    residualOps: backend.residualOps,
  });
  const model = new PlannedModel(spec, backend, plan);
  if (!tuning) return model;
  try {
    const tuned = await tunePlan(plan, spec, model.runContext, tuning);
    model.useTuning(tuned.plan, tuned.report);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}
