/**
 * The cost calculator's arithmetic, all of it delegated to `@sepconv/cost`, the layer specs
 * of `@sepconv/graph` and the MobileNet builders of `@sepconv/mobilenet`: this module only
 * turns the form's fields into specs and the results into rows for tables and charts.
 */
import {
  compareSeparable,
  modelCost,
  predictFromCost,
  predictModel,
  type CostDType,
  type DeviceProfile,
  type LayerCost,
  type LayerPrediction,
  type ModelCost,
  type ModelPrediction,
  type SeparableComparison,
} from '@sepconv/cost';
import { conv2dLayer, type LayerType } from '@sepconv/graph';
import { mobilenetV1, mobilenetV2 } from '@sepconv/mobilenet';
import { SepconvError } from '@sepconv/tensor';

/** The single-layer form: a standard convolution to compare with its separable replacement. */
export interface LayerForm {
  /** D_F: input height and width. */
  size: number;
  /** M. */
  inChannels: number;
  /** N. */
  outChannels: number;
  /** D_K. */
  kernelSize: number;
  stride: number;
  padding: 'same' | 'valid';
}

/** One row of the layer comparison: a layer (or step) and what it costs on the device. */
export interface CostRow {
  readonly label: string;
  readonly cost: LayerCost;
  readonly seconds: number;
  readonly bound: 'compute' | 'memory';
}

/** The layer comparison: `@sepconv/cost`'s answer plus the rows the table shows. */
export interface LayerResult {
  readonly comparison: SeparableComparison;
  readonly rows: readonly CostRow[];
}

/** The fields as the page labels them, for messages that point at one. */
export const FIELD_LABELS = {
  size: 'D_F (input size)',
  inChannels: 'M (input channels)',
  outChannels: 'N (output channels)',
  kernelSize: 'D_K (kernel)',
  stride: 'stride',
  gflops: 'peak GFLOP/s',
  gbs: 'memory GB/s',
  gops: 'int8 GOP/s',
} as const;

/** A field of the form. */
export type Field = keyof typeof FIELD_LABELS;

/** Input the calculator cannot compute, said for a reader: which field, and what would work. */
export class InputProblem extends Error {
  constructor(
    readonly field: Field,
    message: string,
  ) {
    super(message);
    this.name = 'InputProblem';
  }
}

/** Each field of the layer form is a whole number of at least 1 (an empty field reads as ''). */
function checkLayerForm(form: LayerForm): void {
  for (const field of ['size', 'inChannels', 'outChannels', 'kernelSize', 'stride'] as const) {
    const value: unknown = form[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new InputProblem(field, `${FIELD_LABELS[field]} must be a whole number of at least 1.`);
    }
  }
}

/** The device's rates are positive numbers. */
export function checkDevice(device: { gflops: unknown; gbs: unknown }): void {
  for (const field of ['gflops', 'gbs'] as const) {
    const value = device[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new InputProblem(field, `${FIELD_LABELS[field]} must be a number greater than 0.`);
    }
  }
}

/**
 * A typed error of `@sepconv/graph` or `@sepconv/cost` for this form, said as a sentence about
 * its fields; any other error is a bug and is thrown on.
 */
function explain(error: unknown, form: LayerForm): never {
  if (!(error instanceof SepconvError)) throw error;
  if (error.argument === 'filter') {
    throw new InputProblem(
      'kernelSize',
      `With '${form.padding}' padding, a ${form.kernelSize}×${form.kernelSize} kernel (D_K) does not fit in a ${form.size}×${form.size} input (D_F): make D_F at least D_K, or choose 'same' padding.`,
    );
  }
  const field: Field = error.argument.includes('kernel')
    ? 'kernelSize'
    : error.argument.includes('stride')
      ? 'stride'
      : error.argument.includes('outChannels')
        ? 'outChannels'
        : 'size';
  throw new InputProblem(field, `These settings do not make a convolution; check ${FIELD_LABELS[field]}.`);
}

/**
 * Compares a standard convolution with its depthwise separable replacement on a device.
 * @throws InputProblem naming the field at fault.
 */
export function compareLayer(form: LayerForm, profile: DeviceProfile): LayerResult {
  checkLayerForm(form);
  try {
    return compareChecked(form, profile);
  } catch (error) {
    explain(error, form);
  }
}

function compareChecked(form: LayerForm, profile: DeviceProfile): LayerResult {
  const layer = conv2dLayer({
    name: 'conv',
    inputShape: [1, form.size, form.size, form.inChannels],
    kernelSize: form.kernelSize,
    outChannels: form.outChannels,
    strides: form.stride,
    padding: form.padding,
    useBias: false,
  });
  const comparison = compareSeparable(layer);
  const row = (label: string, cost: LayerCost): CostRow => {
    const prediction = predictFromCost(cost, profile);
    return { label, cost, seconds: prediction.seconds, bound: prediction.bound };
  };
  return {
    comparison,
    rows: [
      row('standard convolution', comparison.standard),
      row('depthwise step', comparison.depthwise),
      row('pointwise step', comparison.pointwise),
      row('depthwise separable (fused)', comparison.separable),
    ],
  };
}

/** Which network the model form builds, with the paper's α and resolution, and in which precision it runs. */
export interface ModelForm {
  version: 'v1' | 'v2';
  alpha: number;
  resolution: number;
  /** `'int8'`: the quantized model (int8 bytes, the device's int8 peak); default float32. */
  dtype?: CostDType | undefined;
}

/** The device's int8 peak is a positive number when the int8 model is asked for (an empty field reads as ''). */
function checkInt8Peak(profile: DeviceProfile): void {
  const value: unknown = profile.peakInt8Ops;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InputProblem('gops', `${FIELD_LABELS.gops} must be a number greater than 0 to predict the int8 model.`);
  }
}

/** The α values Keras ships weights for, per version. */
export const ALPHAS: Readonly<Record<ModelForm['version'], readonly number[]>> = {
  v1: [0.25, 0.5, 0.75, 1],
  v2: [0.35, 0.5, 0.75, 1, 1.3, 1.4],
};

/** The input resolutions Keras ships weights for, per version. */
export const RESOLUTIONS: Readonly<Record<ModelForm['version'], readonly number[]>> = {
  v1: [128, 160, 192, 224],
  v2: [96, 128, 160, 192, 224],
};

/** Multiply-adds of one kind of layer across the network, for the breakdown chart. */
export interface TypeShare {
  readonly type: LayerType;
  readonly multAdds: number;
  readonly params: number;
  readonly seconds: number;
  /** Layers of this kind that run inside a convolution's kernel (folded batch norm, fused activation). */
  readonly fusedLayers: number;
  readonly layers: number;
}

/**
 * A network's cost and roofline prediction as sepconv runs it (batch norm folded, ReLU/ReLU6
 * fused: no memory pass of their own), and (for V1) the same network with standard convolutions.
 */
export interface ModelResult {
  readonly cost: ModelCost;
  /** The parameters' size as float32 and as the int8 model, whichever precision is predicted. */
  readonly sizes: { readonly float32: number; readonly int8: number };
  readonly prediction: ModelPrediction;
  /** MobileNetV1 with every separable block replaced by a full 3×3 convolution (the paper's Table 4); none for V2. */
  readonly standard?: ModelCost | undefined;
  readonly byType: readonly TypeShare[];
}

/** Each layer's cost beside its prediction: both list the spec's layers in order. */
export function layersWithPredictions(cost: ModelCost, prediction: ModelPrediction): { layer: LayerCost; predicted: LayerPrediction }[] {
  return cost.layers.map((layer, i) => {
    const predicted = prediction.layers[i];
    if (predicted?.name !== layer.name)
      throw new Error(`layer ${i} is '${layer.name}' in the cost but ${predicted ? `'${predicted.name}'` : 'missing'} in the prediction`);
    return { layer, predicted };
  });
}

/**
 * Counts a MobileNet and predicts its time on a device, folded and fused as the runtime executes
 * it, in float32 or (`form.dtype: 'int8'`) as the quantized model at the device's int8 peak.
 * @throws InputProblem naming `gops` when the int8 model is asked for without an int8 peak.
 */
export function computeModel(form: ModelForm, profile: DeviceProfile): ModelResult {
  const options = { alpha: form.alpha, resolution: form.resolution };
  const spec = form.version === 'v1' ? mobilenetV1(options) : mobilenetV2(options);
  const dtype = form.dtype ?? 'float32';
  if (dtype === 'int8') checkInt8Peak(profile);
  const cost = modelCost(spec, { fused: true, dtype });
  const prediction = predictModel(spec, profile, { fused: true, dtype });
  const sizes = { float32: modelCost(spec).paramBytes, int8: modelCost(spec, { fused: true, dtype: 'int8' }).paramBytes };
  const shares = new Map<LayerType, { multAdds: number; params: number; seconds: number; fusedLayers: number; layers: number }>();
  for (const { layer, predicted } of layersWithPredictions(cost, prediction)) {
    const share = shares.get(layer.type) ?? { multAdds: 0, params: 0, seconds: 0, fusedLayers: 0, layers: 0 };
    share.layers += 1;
    if (layer.fusedInto !== undefined) share.fusedLayers += 1;
    share.multAdds += layer.multAdds;
    share.params += layer.params.total;
    share.seconds += predicted.seconds;
    shares.set(layer.type, share);
  }
  return {
    cost,
    sizes,
    prediction,
    standard: form.version === 'v1' ? modelCost(mobilenetV1({ ...options, convolutions: 'standard' })) : undefined,
    byType: [...shares].map(([type, share]) => ({ type, ...share })).sort((a, b) => b.seconds - a.seconds),
  };
}
