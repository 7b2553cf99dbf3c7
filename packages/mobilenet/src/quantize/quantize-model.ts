import {
  chooseQuantParams,
  describeValue,
  HostTensor,
  quantizeBias,
  symmetricPerChannel,
  ValueError,
  type Backend,
  type QuantParams,
} from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { layerGeometry, type ConvLayer, type GraphLayer, type LayerSpec, type ModelSpec } from '@sepconv/graph';
import type { ImageToTensorOptions } from '../image/image-to-tensor.js';
import { compileModel } from '../runtime/compile-model.js';
import type { ConvStep } from '../runtime/model-plan.js';
import type { WeightMap } from '../weights/weight-map.js';
import { biasSaturationError, type SaturatedBias } from './bias-saturation.js';
import { calibrate, type CalibrationData, type CalibrationRange, type CalibrationStatistics, type TapWindow } from './calibrate.js';
import { foldModel } from './fold-model.js';
import { INT8_EPILOGUES, int8Unsupported, keepsInputQuantization } from './int8-steps.js';
import {
  isQuantizedSpec,
  type Int8Weight,
  type QuantizedModel,
  type QuantizedModelSpec,
  type QuantizedWeight,
  type QuantizedWeightMap,
} from './quantized-model-spec.js';

const OP = 'quantizeModel';

/** Options of {@link quantizeModel}. */
export interface QuantizeModelOptions {
  /**
   * Representative inputs: a batch, or an iterable / async iterable of batches (tensors as
   * `predict` takes them), records by input name, or images (`{ data, width, height }` RGBA,
   * made into tensors with `image`). A few hundred images is TensorFlow Lite's advice; a handful
   * of varied ones already gives usable ranges.
   */
  calibration: CalibrationData;
  /** How images become input tensors (`imageToTensor`'s options; resolution defaults to the model's input). */
  image?: ImageToTensorOptions | undefined;
  /**
   * `'minmax'` (default): each tensor's range is the minimum and maximum over all the data;
   * `'averageMinMax'`: the average over items of each item's range (less sensitive to one
   * outlier image); `{ percentile: 99.99 }`: from the 0.01th to the 99.99th percentile of the
   * values (outliers clipped, finer steps for the rest).
   */
  range?: CalibrationRange | undefined;
  /**
   * Shift each layer's bias by the mean error its int8 weights cause on the calibration data
   * (empirical bias correction, Nagel et al. 2019, "Data-Free Quantization Through Weight
   * Equalization and Bias Correction"). Default true.
   */
  biasCorrection?: boolean | undefined;
  /** One weight scale per output channel (default true), or one per layer (`false`: per-tensor, for comparison). */
  perChannel?: boolean | undefined;
  /** Layers to keep in float although they could run in int8 (by the folded model's layer names). */
  keepFloat?: readonly string[] | undefined;
  /** Runs the float model on the calibration data. Default: the reference backend (exact, slow); pass a fast one for big models. */
  backend?: Backend | undefined;
}

function checkOptions(options: QuantizeModelOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new ValueError(OP, 'options', `options must be an object, got ${describeValue(options)}`);
  if (options.calibration === undefined) throw new ValueError(OP, 'options.calibration', 'options.calibration is required: representative inputs');
  const range: unknown = options.range;
  const percentile = (range as { percentile?: unknown } | null)?.percentile;
  const isPercentile = typeof range === 'object' && range !== null && typeof percentile === 'number' && percentile > 50 && percentile <= 100;
  if (range !== undefined && range !== 'minmax' && range !== 'averageMinMax' && !isPercentile) {
    throw new ValueError(
      OP,
      'options.range',
      `options.range must be 'minmax', 'averageMinMax' or { percentile } with a percentile in (50, 100], got ${describeValue(range)}`,
    );
  }
  for (const key of ['biasCorrection', 'perChannel'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') {
      throw new ValueError(OP, `options.${key}`, `options.${key} must be a boolean, got ${describeValue(options[key])}`);
    }
  }
  if (options.keepFloat !== undefined && (!Array.isArray(options.keepFloat) || !options.keepFloat.every((n) => typeof n === 'string'))) {
    throw new ValueError(OP, 'options.keepFloat', `options.keepFloat must be an array of layer names, got ${describeValue(options.keepFloat)}`);
  }
}

/** The weight name of a convolution or dense layer's kernel. */
export function kernelName(layer: LayerSpec): string {
  return layer.type === 'depthwiseConv2d' ? 'depthwise_kernel' : 'kernel';
}

/** The output channels of a kernel: its last axis, the last two for a depthwise `[KH, KW, C, M]` (output channel `c·M + m`). */
export function kernelOutChannels(op: string, shape: readonly number[]): number {
  return op === 'depthwiseConv2d' ? shape[2]! * shape[3]! : shape[shape.length - 1]!;
}

/** The window a layer's kernel slides over its input (one tap for a dense layer). */
function tapWindow(layer: GraphLayer): TapWindow {
  if (layer.type === 'dense') {
    const [height, width] = layer.inputShape.length === 4 ? [layer.inputShape[1]!, layer.inputShape[2]!] : [1, 1];
    const one = { kernelHeight: 1, kernelWidth: 1, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, padTop: 0, padLeft: 0 };
    return { layer: layer.name, input: layer.inputs[0]!, ...one, outHeight: height, outWidth: width };
  }
  const g = layerGeometry(layer as ConvLayer);
  return { layer: layer.name, input: layer.inputs[0]!, ...g };
}

/** Symmetric int8 weights, per output channel (the innermost axis of every sepconv kernel layout) or with one scale for the whole kernel. */
function quantizeKernel(kernel: HostTensor, outChannels: number, perChannel: boolean): Int8Weight {
  const rows = kernel.size / outChannels;
  const quantized = perChannel
    ? symmetricPerChannel(new HostTensor(kernel.data, [rows, outChannels]))
    : symmetricPerChannel(new HostTensor(kernel.data, [1, kernel.size]), 0);
  const scales = perChannel ? quantized.scales : new Float32Array(outChannels).fill(quantized.scales[0]!);
  return { dtype: 'int8', shape: kernel.shape, data: quantized.data, scales };
}

/**
 * The mean change in each output channel that quantizing the kernel causes on the calibration
 * data: `Σ_taps (ŵ − w) · E[x seen by the tap]`, exact borders included (the tap sums count
 * padding as 0). Index of a tap sum for kernel element `i`: conv2d `[KH, KW, Cin, Cout]` and
 * dense `[Cin, Cout]` read `i / Cout` (tap·Cin + c); depthwise `[KH, KW, C, M]` reads tap·C + c
 * with `o = c·M + m`.
 */
function biasShift(
  layer: LayerSpec,
  kernel: HostTensor,
  quantized: Int8Weight,
  outChannels: number,
  taps: { sums: Float64Array; positions: number },
): Float64Array {
  const shift = new Float64Array(outChannels);
  const multiplier = layer.type === 'depthwiseConv2d' ? layer.channelMultiplier : 1;
  const channels = outChannels / multiplier;
  for (let i = 0; i < kernel.size; i++) {
    const o = i % outChannels;
    const row = (i - o) / outChannels;
    const tapSum = layer.type === 'depthwiseConv2d' ? row * channels + Math.floor(o / multiplier) : row;
    const error = quantized.scales[o]! * quantized.data[i]! - kernel.data[i]!;
    shift[o]! += error * taps.sums[tapSum]!;
  }
  for (let o = 0; o < outChannels; o++) shift[o]! /= taps.positions;
  return shift;
}

function paramsOf(statistics: CalibrationStatistics, name: string, range: CalibrationRange): QuantParams {
  const seen = statistics.tensors.get(name);
  if (seen === undefined) throw new ValueError(OP, 'options.calibration', `tensor '${name}' was never observed: the calibration batches are empty`);
  if (range === 'minmax') return chooseQuantParams(seen.min, seen.max);
  if (range === 'averageMinMax') return chooseQuantParams(seen.minSum / seen.items, seen.maxSum / seen.items);
  const [low, high] = seen.histogram!.range(1 - range.percentile / 100, range.percentile / 100);
  // A bin's edge may pass the data's own extremes: never wider than min/max.
  return chooseQuantParams(Math.max(low, seen.min), Math.min(high, seen.max));
}

/**
 * Post-training int8 quantization, as TensorFlow Lite does it: the model is folded first
 * (`foldModel`: batch norm into the convolution before it, ReLU/ReLU6 fused), then
 * - every convolution and dense kernel becomes int8, symmetric per output channel (depthwise
 *   kernels need it: after folding, their channels' ranges differ by orders of magnitude);
 * - every tensor gets per-tensor asymmetric int8 parameters from the range it shows on
 *   `options.calibration` (`chooseQuantParams`: real 0 exactly representable);
 * - biases become int32 with scale `inputScale · weightScales[o]`, after bias correction
 *   (on by default) shifts them by the mean error the int8 kernel causes on the calibration data;
 *   one that does not fit int32 is refused (TensorFlow Lite's quantizer saturates it silently);
 * - ReLU and ReLU6 become the clamps of the int8 kernels' outputs; requantization multipliers
 *   are derived from these float scales when the model is instantiated (`convRequantization`).
 * - other activations (hard-swish, hard-sigmoid, sigmoid) become int8 lookup tables, and
 *   element-wise multiplies and adds (two values, or a value and a constant) int8 MUL and ADD,
 *   each with the calibrated range of its output (every layer's output is observed).
 * Layers that have no int8 form (softmax, resize, …) stay float, listed with the reason in
 * `spec.quantization.floatLayers`: their input is dequantized and their output quantized.
 * @returns the folded spec with its `quantization`, and int8 kernels / int32 biases by the
 * folded layers' names: serialisable with `saveModel`, run with `instantiate`.
 * @param weights float weights, as the readers return them (`loadModel`'s union type is
 * accepted: a model that is already quantized is refused).
 * @throws ValueError naming `quantizeModel` and the option at fault (missing or empty
 * calibration, NaN activations, an unknown `keepFloat` layer), `spec` when the model is
 * already quantized, or `weights` when a bias does not fit int32 at its scale (naming every such
 * layer and channel with its bias and scales, and how to fix it); whatever `instantiate` throws
 * for the spec and weights.
 */
export async function quantizeModel(
  spec: ModelSpec,
  weights: WeightMap | QuantizedWeightMap,
  options: QuantizeModelOptions,
): Promise<QuantizedModel> {
  checkOptions(options);
  const folded = foldModel(spec, floatWeights(spec, weights));
  const plan = compileModel(folded.spec, folded.weights, { fuseSeparable: false, epilogues: INT8_EPILOGUES });
  const layers = new Map(folded.spec.layers.map((layer) => [layer.name, layer]));
  const floatLayers: Record<string, string> = {};
  for (const name of options.keepFloat ?? []) {
    if (!layers.has(name))
      throw new ValueError(OP, 'options.keepFloat', `options.keepFloat names '${name}', which is not a layer of the folded model`);
    floatLayers[name] = 'kept in float by options.keepFloat';
  }
  const int8Convs: { layer: GraphLayer; step: ConvStep }[] = [];
  for (const step of plan.steps) {
    const reason = step.layers.map((name) => floatLayers[name]).find((r) => r !== undefined) ?? int8Unsupported(step);
    if (reason !== undefined) {
      for (const name of step.layers) floatLayers[name] ??= reason;
      continue;
    }
    const head = layers.get(step.layers[0]!)!;
    if (step.kind === 'conv' && folded.weights.has(`${head.name}/${kernelName(head)}`)) int8Convs.push({ layer: head, step });
  }
  const biasCorrection = options.biasCorrection ?? true;
  const statistics = await calibrate(folded.spec, folded.weights, options.calibration, {
    backend: options.backend ?? createReferenceBackend(),
    image: options.image,
    windows: biasCorrection ? int8Convs.map(({ layer }) => tapWindow(layer)) : [],
    histograms: typeof options.range === 'object',
  });
  const range = options.range ?? 'minmax';
  const activations: Record<string, QuantParams> = {};
  for (const input of folded.spec.inputs) activations[input.name] = paramsOf(statistics, input.name, range);
  for (const layer of folded.spec.layers) {
    // A relabel, a pad or a pooling keeps its input's int8 values' meaning: its parameters are its input's.
    activations[layer.name] = keepsInputQuantization(layer) ? activations[layer.inputs[0]!]! : paramsOf(statistics, layer.name, range);
  }
  const quantizedWeights = new Map<string, QuantizedWeight>(folded.weights);
  const withBias = new Set<string>();
  const saturated: SaturatedBias[] = [];
  for (const { layer, step } of int8Convs) {
    const key = `${layer.name}/${kernelName(layer)}`;
    const kernel = folded.weights.get(key)!;
    const outChannels = kernelOutChannels(step.op, step.filter.shape);
    const int8 = quantizeKernel(kernel, outChannels, options.perChannel ?? true);
    const floatBias = folded.weights.get(`${layer.name}/bias`);
    const bias = floatBias ? Float32Array.from(floatBias.data) : new Float32Array(outChannels);
    if (biasCorrection) {
      const shift = biasShift(layer, kernel, int8, outChannels, statistics.tapSums.get(layer.name)!);
      for (let o = 0; o < outChannels; o++) bias[o] = bias[o]! - shift[o]!;
    }
    quantizedWeights.set(key, int8);
    const inputScale = activations[layer.inputs[0]!]!.scale;
    const onSaturated = (channel: number, quotient: number): void => {
      saturated.push({ layer: layer.name, channel, bias: bias[channel]!, inputScale, weightScale: int8.scales[channel]!, quotient });
    };
    quantizedWeights.set(`${layer.name}/bias`, {
      dtype: 'int32',
      shape: [outChannels],
      data: quantizeBias(bias, inputScale, int8.scales, onSaturated),
    });
    withBias.add(layer.name);
  }
  if (saturated.length > 0) throw biasSaturationError(OP, saturated);
  const quantizedSpec: QuantizedModelSpec = {
    ...folded.spec,
    layers: folded.spec.layers.map((layer) => (withBias.has(layer.name) ? ({ ...layer, useBias: true } as GraphLayer) : layer)),
    quantization: { scheme: 'int8', activations, floatLayers },
  };
  return { spec: quantizedSpec, weights: quantizedWeights };
}

/**
 * The weights as a float `WeightMap`: `loadModel` types its result as float or quantized, and a
 * float model's weights are all host tensors. A quantized model (its spec carries a
 * quantization, or a weight is int8/int32) cannot be quantized again.
 */
function floatWeights(spec: ModelSpec, weights: WeightMap | QuantizedWeightMap): WeightMap {
  const quantizedWeight = [...weights].find(([, w]) => !(w instanceof HostTensor));
  if (isQuantizedSpec(spec) || quantizedWeight) {
    const which = quantizedWeight ? `weight '${quantizedWeight[0]}' is ${quantizedWeight[1].dtype}` : 'its spec carries a quantization';
    throw new ValueError(OP, 'spec', `the model is already quantized (${which}): quantizeModel takes a float model`);
  }
  return weights as WeightMap;
}
