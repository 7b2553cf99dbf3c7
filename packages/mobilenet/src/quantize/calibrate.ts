import { describeValue, HostTensor, isHostTensor, nchwToNhwc, ValueError, type Backend, type Tensor } from '@sepconv/tensor';
import { modelSpec, type ModelSpec } from '@sepconv/graph';
import { imageToTensor, type ImageToTensorOptions, type Pixels } from '../image/image-to-tensor.js';
import { instantiate } from '../runtime/instantiate.js';
import { ValueHistogram } from './value-histogram.js';
import type { WeightMap } from '../weights/weight-map.js';

/** One calibration item: a batch for the model's input (NHWC, or NCHW for an `'nchw'` model), one by input name, or an image. */
export type CalibrationItem = Tensor | Readonly<Record<string, Tensor>> | Pixels;

/** What `quantizeModel` calibrates on: a batch, or items one by one (sync or async, e.g. images decoded as they are read). */
export type CalibrationData = Tensor | Iterable<CalibrationItem> | AsyncIterable<CalibrationItem>;

/**
 * How a tensor's observed values become its range: `'minmax'` over all calibration data
 * (TensorFlow Lite's), the average of each item's minimum and maximum (`'averageMinMax'`), or
 * `{ percentile: p }`: from the (100 − p)th to the p-th percentile of all the values (outliers
 * clipped, the rest resolved more finely).
 */
export type CalibrationRange = 'minmax' | 'averageMinMax' | { readonly percentile: number };

/** What calibration observed of one tensor. */
export interface TensorStatistics {
  min: number;
  max: number;
  /** Sums of each item's min and max, and the item count (for `'averageMinMax'`). */
  minSum: number;
  maxSum: number;
  items: number;
  /** With a percentile range only. */
  histogram?: ValueHistogram | undefined;
}

/** What calibration observed: each tensor's range and the per-tap channel means of each convolution's input. */
export interface CalibrationStatistics {
  readonly tensors: Map<string, TensorStatistics>;
  /** By layer: `[taps · inChannels]` sums of the input seen by each kernel tap, over every output position (padding counts 0); and the position count. */
  readonly tapSums: Map<string, { sums: Float64Array; positions: number }>;
}

const OP = 'quantizeModel';

function isPixels(item: unknown): item is Pixels {
  return typeof item === 'object' && item !== null && 'width' in item && 'height' in item && 'data' in item && !('shape' in item);
}

async function* items(data: CalibrationData): AsyncGenerator<CalibrationItem> {
  if (typeof data === 'object' && data !== null && 'shape' in data && 'dtype' in data) {
    yield data;
    return;
  }
  if (typeof data === 'object' && data !== null && (Symbol.asyncIterator in data || Symbol.iterator in data)) {
    yield* data as AsyncIterable<CalibrationItem>;
    return;
  }
  throw new ValueError(
    OP,
    'options.calibration',
    `options.calibration must be a tensor, or an iterable or async iterable of tensors or images, got ${describeValue(data)}`,
  );
}

function observe(statistics: Map<string, TensorStatistics>, name: string, data: Float32Array, histogram: boolean): void {
  let min = Infinity;
  let max = -Infinity;
  for (const value of data) {
    if (Number.isNaN(value)) {
      throw new ValueError(OP, 'options.calibration', `tensor '${name}' is NaN on the calibration data: its range cannot be quantized`);
    }
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (data.length === 0) return;
  const seen = statistics.get(name);
  if (seen === undefined) {
    statistics.set(name, { min, max, minSum: min, maxSum: max, items: 1, histogram: histogram ? new ValueHistogram() : undefined });
    statistics.get(name)!.histogram?.add(data);
    return;
  }
  seen.histogram?.add(data);
  seen.min = Math.min(seen.min, min);
  seen.max = Math.max(seen.max, max);
  seen.minSum += min;
  seen.maxSum += max;
  seen.items++;
}

/** A convolution-shaped reader of a tensor: the window each output position sees. */
export interface TapWindow {
  readonly layer: string;
  readonly input: string;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly outHeight: number;
  readonly outWidth: number;
}

/**
 * Adds, for each kernel tap and input channel, the input values that tap sees over every
 * output position (0 where it falls in the padding): what bias correction needs to compute the
 * mean error of a quantized kernel exactly, borders included. A rank-2 input (a dense layer's
 * features) has one tap.
 * Legend: b batch, oy/ox output position, ky/kx tap, c channel.
 */
function addTapSums(window: TapWindow, x: HostTensor, into: { sums: Float64Array; positions: number }): void {
  const channels = x.shape[x.shape.length - 1]!;
  if (x.shape.length !== 4) {
    for (let i = 0; i < x.size; i++) into.sums[i % channels]! += x.data[i]!;
    into.positions += x.size / channels;
    return;
  }
  const [batch, inHeight, inWidth] = x.shape as [number, number, number, number];
  const { kernelHeight, kernelWidth, outHeight, outWidth } = window;
  for (let b = 0; b < batch; b++) {
    for (let ky = 0; ky < kernelHeight; ky++) {
      for (let oy = 0; oy < outHeight; oy++) {
        const iy = oy * window.strideHeight - window.padTop + ky * window.dilationHeight;
        if (iy < 0 || iy >= inHeight) continue;
        for (let kx = 0; kx < kernelWidth; kx++) {
          const tap = (ky * kernelWidth + kx) * channels;
          for (let ox = 0; ox < outWidth; ox++) {
            const ix = ox * window.strideWidth - window.padLeft + kx * window.dilationWidth;
            if (ix < 0 || ix >= inWidth) continue;
            const offset = ((b * inHeight + iy) * inWidth + ix) * channels;
            for (let c = 0; c < channels; c++) into.sums[tap + c]! += x.data[offset + c]!;
          }
        }
      }
    }
  }
  into.positions += batch * outHeight * outWidth;
}

/** Options of {@link calibrate}. */
export interface CalibrateOptions {
  readonly backend: Backend;
  readonly image?: ImageToTensorOptions | undefined;
  /** The convolutions whose input bias correction reads. */
  readonly windows: readonly TapWindow[];
  /** Keep a histogram of each tensor (for a percentile range). */
  readonly histograms: boolean;
}

function toInputs(spec: ModelSpec, item: CalibrationItem, image: ImageToTensorOptions | undefined): Record<string, HostTensor> {
  const names = spec.inputs.map((input) => input.name);
  const asHost = (tensor: Tensor, argument: string): HostTensor => {
    if (!isHostTensor(tensor)) throw new ValueError(OP, argument, `calibration tensors must be host tensors, got one on '${tensor.location}'`);
    return spec.layout === 'nchw' && tensor.shape.length === 4 ? nchwToNhwc(tensor) : tensor;
  };
  if (isPixels(item)) {
    const shape = spec.inputs[0]!.shape;
    if (names.length !== 1 || shape.length !== 4) {
      throw new ValueError(OP, 'options.calibration', 'images calibrate only a model with one NHWC image input: give tensors by input name');
    }
    return { [names[0]!]: imageToTensor(item, { resolution: [shape[1]!, shape[2]!], ...image }) };
  }
  if (typeof item === 'object' && item !== null && 'shape' in item && 'dtype' in item) {
    if (names.length !== 1)
      throw new ValueError(OP, 'options.calibration', `the model has ${names.length} inputs: give each item as a record by input name`);
    return { [names[0]!]: asHost(item as Tensor, 'options.calibration') };
  }
  const record = item as Readonly<Record<string, Tensor>>;
  return Object.fromEntries(names.map((name) => [name, asHost(record[name]!, `options.calibration.${name}`)]));
}

/**
 * Runs the (folded) float model on the calibration data and records every tensor's range and
 * the per-tap input sums of the given convolutions. The model is run with every layer as an
 * output, item by item, on `options.backend`.
 * @throws ValueError naming `quantizeModel` and `options.calibration` for data of the wrong
 * kind, no data, or a tensor that is NaN.
 */
export async function calibrate(
  spec: ModelSpec,
  weights: WeightMap,
  data: CalibrationData,
  options: CalibrateOptions,
): Promise<CalibrationStatistics> {
  const observed = modelSpec({ name: spec.name, inputs: spec.inputs, layers: spec.layers, outputs: spec.layers.map((layer) => layer.name) });
  const model = await instantiate(observed, options.backend, { weights });
  const tensors = new Map<string, TensorStatistics>();
  const tapSums = new Map<string, { sums: Float64Array; positions: number }>();
  try {
    for await (const item of items(data)) {
      const inputs = toInputs(spec, item, options.image);
      const outputs = await model.predictAsync(inputs);
      const values: Record<string, HostTensor> = { ...inputs, ...(outputs instanceof HostTensor ? { [observed.outputs[0]!]: outputs } : outputs) };
      for (const [name, value] of Object.entries(values)) observe(tensors, name, value.data, options.histograms);
      for (const window of options.windows) {
        const x = values[window.input]!;
        const channels = x.shape[x.shape.length - 1]!;
        let into = tapSums.get(window.layer);
        if (into === undefined) {
          into = { sums: new Float64Array(window.kernelHeight * window.kernelWidth * channels), positions: 0 };
          tapSums.set(window.layer, into);
        }
        addTapSums(window, x, into);
      }
    }
  } finally {
    model.dispose();
  }
  if (tensors.size === 0) throw new ValueError(OP, 'options.calibration', 'options.calibration holds no data');
  return { tensors, tapSums };
}
