import type { HostTensor, QuantParams } from '@sepconv/tensor';
import type { ModelSpec } from '@sepconv/graph';

/** The quantization of a model: how each tensor is held in int8. Plain JSON data. */
export interface ModelQuantization {
  /** The scheme: int8 activations (per tensor, asymmetric), int8 weights (symmetric, per output channel), int32 biases. */
  readonly scheme: 'int8';
  /**
   * Every tensor's parameters, by tensor name (the model inputs and every layer): where the
   * int8 value `q` stands for `scale · (q − zeroPoint)`. A layer that runs in float has them
   * too, so its result is quantized for the next int8 layer.
   */
  readonly activations: Readonly<Record<string, QuantParams>>;
  /**
   * The layers that run in float, each with the reason (an operation without an int8 kernel, a
   * softmax, a layer kept in float by `keepFloat`; models quantized before int8 lookup tables
   * also list their hard-swish and squeeze-and-excitation layers): their input is dequantized before them and
   * their result quantized after them.
   */
  readonly floatLayers: Readonly<Record<string, string>>;
}

/**
 * A model spec with its quantization: what `quantizeModel` returns and `loadModel` reads back.
 * Its layers are the folded model's (no batch norm, activations fused: see `foldModel`), so
 * `modelCost` counts it and `instantiate` runs it as int8.
 */
export interface QuantizedModelSpec extends ModelSpec {
  readonly quantization: ModelQuantization;
}

/**
 * A convolution or dense kernel in int8, symmetric per output channel (the last axis; a
 * depthwise `[KH, KW, C, M]` kernel's output channel is `c·M + m`): `w = scales[o] · data[i]`.
 */
export interface Int8Weight {
  readonly dtype: 'int8';
  /** The float kernel's shape and element order (sepconv's layouts: see `WeightMap`). */
  readonly shape: readonly number[];
  /** Values in `[-127, 127]`. */
  readonly data: Int8Array;
  /** `[outChannels]`, float32. */
  readonly scales: Float32Array;
}

/** A bias in int32 with scale `inputScale · weightScales[o]` and zero point 0 (TensorFlow Lite's rule). */
export interface Int32Weight {
  readonly dtype: 'int32';
  readonly shape: readonly number[];
  readonly data: Int32Array;
}

/** A weight of a quantized model: int8 kernels, int32 biases, and float weights of layers that run in float. */
export type QuantizedWeight = Int8Weight | Int32Weight | HostTensor;

/** A quantized model's weights by `<layer>/<weight>` (the folded layers' names). */
export type QuantizedWeightMap = ReadonlyMap<string, QuantizedWeight>;

/** A quantized model: spec and weights, as `quantizeModel` and `loadModel` return them. */
export interface QuantizedModel {
  readonly spec: QuantizedModelSpec;
  readonly weights: QuantizedWeightMap;
}

/** True for a spec that carries a quantization (from `quantizeModel` or a saved quantized model). */
export function isQuantizedSpec(spec: ModelSpec): spec is QuantizedModelSpec {
  const quantization = (spec as Partial<QuantizedModelSpec>).quantization;
  return typeof quantization === 'object' && quantization !== null;
}

/** True for an int8 kernel. */
export function isInt8Weight(weight: QuantizedWeight | undefined): weight is Int8Weight {
  return weight !== undefined && (weight as Int8Weight).dtype === 'int8' && 'scales' in weight;
}

/** True for an int32 bias. */
export function isInt32Weight(weight: QuantizedWeight | undefined): weight is Int32Weight {
  return weight !== undefined && (weight as Int32Weight).dtype === 'int32';
}
