import { checkConvActivation } from './activation.js';
import { brandClass, hasBrand } from './brand.js';
import type { ConvKind } from './conv-geometry.js';
import { describeValue } from './describe-value.js';
import { DTypeError, formatShape, ShapeError, ValueError } from './errors.js';
import type { ConvActivation } from './options.js';
import { checkQuantParams, INT8_WEIGHT_MAX, type QuantParams } from './quant-params.js';
import { convRequantization, type ConvRequantization } from './requantization.js';
import { assertValidShape, sizeOf } from './shape.js';

/** What {@link QuantizedConvWeights} is built from: one int8 convolution layer's prepared parameters. */
export interface QuantizedConvWeightsSpec {
  /** Which convolution the filter is for; decides its layout. */
  readonly kind: ConvKind;
  /**
   * Symmetric int8 weights (zero point 0) in `[-127, 127]`, row-major in the float layout of
   * `kind`: conv2d `[KH, KW, Cin, Cout]`, depthwise `[KH, KW, C, M]` (output channel `c·M + m`),
   * pointwise `[Cin, Cout]` (or `[1, 1, Cin, Cout]`). Kept, not copied (see {@link QuantizedConvWeights}).
   */
  readonly filter: Int8Array;
  readonly filterShape: readonly number[];
  /** `[outChannels]` int32 with scale `input.scale · weightScales[o]` (see `quantizeBias`); default none. */
  readonly bias?: Int32Array | undefined;
  /** `[outChannels]` positive float32 scales, one per output channel (see `symmetricPerChannel`). */
  readonly weightScales: ArrayLike<number>;
  /** The quantization every input of this layer must have. */
  readonly input: QuantParams;
  /** The quantization of the layer's output. */
  readonly output: QuantParams;
  /** The fused activation, a clamp of the int8 output; default `'linear'`. */
  readonly activation?: ConvActivation | undefined;
}

/**
 * The int8 weights of one convolution layer, validated once and ready to run: the filter, the
 * int32 bias, the float scales of input, weights and output, and the integer requantization
 * record computed from them (`convRequantization`: per-channel multipliers and shifts, zero
 * points, activation clamp). The int8 ops (`backend.quantizedConv2d` and its siblings) take this
 * object rather than tensors, so a backend can pack it once — key a `WeakMap` on the object —
 * as it packs float weights. Treat `filter` and `bias` as immutable once built: backends may
 * keep packed copies.
 *
 * Branded (`Symbol.for('sepconv.QuantizedConvWeights')`) like `HostTensor`, so `instanceof`
 * recognises one built by another installed copy of `@sepconv/tensor`.
 */
export class QuantizedConvWeights {
  static [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(this, value);
  }

  readonly kind: ConvKind;
  readonly filter: Int8Array;
  /** The filter's shape as given (frozen copy). */
  readonly filterShape: readonly number[];
  readonly bias: Int32Array | undefined;
  readonly weightScales: Float32Array;
  readonly input: QuantParams;
  readonly output: QuantParams;
  readonly activation: ConvActivation;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  /** Input channels the filter expects. */
  readonly inChannels: number;
  /** 1 unless `kind` is `depthwiseConv2d`. */
  readonly channelMultiplier: number;
  readonly outChannels: number;
  /** The integer parameters every backend's kernel reads (multipliers, shifts, zero points, clamp). */
  readonly requantization: ConvRequantization;

  /**
   * @throws ValueError naming `QuantizedConvWeights` and the field at fault (`kind`, `weightScales`,
   * `input`, `output`, `filter` for a value outside `[-127, 127]`); ShapeError for a filter shape
   * that does not fit `kind` or a filter / bias length that differs from it; DTypeError for a
   * filter that is not an `Int8Array` or a bias that is not an `Int32Array`; UnsupportedError for
   * an activation other than linear / relu / relu6.
   */
  constructor(spec: QuantizedConvWeightsSpec) {
    const op = 'QuantizedConvWeights';
    if (typeof spec !== 'object' || spec === null) throw new ValueError(op, 'spec', `spec must be an object, got ${describeValue(spec)}`);
    const kind = checkKind(op, spec.kind);
    const filterShape = Object.freeze([...checkFilterShape(op, kind, spec.filterShape)]);
    const dims = filterDims(kind, filterShape);
    this.kind = kind;
    this.filterShape = filterShape;
    this.filter = checkFilter(op, spec.filter, filterShape);
    this.bias = checkBias(op, spec.bias, dims.outChannels);
    this.activation = checkConvActivation(op, 'activation', spec.activation);
    this.input = Object.freeze(checkQuantParams(op, 'input', spec.input));
    this.output = Object.freeze(checkQuantParams(op, 'output', spec.output));
    const scales = spec.weightScales as ArrayLike<number> | undefined;
    if (scales === null || typeof scales !== 'object' || typeof scales.length !== 'number') {
      throw new ValueError(
        op,
        'weightScales',
        `weightScales must be an array of outChannels=${dims.outChannels} numbers, got ${describeValue(scales)}`,
      );
    }
    this.weightScales = Float32Array.from(scales);
    this.kernelHeight = dims.kernelHeight;
    this.kernelWidth = dims.kernelWidth;
    this.inChannels = dims.inChannels;
    this.channelMultiplier = dims.channelMultiplier;
    this.outChannels = dims.outChannels;
    this.requantization = Object.freeze(
      convRequantization(
        { outChannels: dims.outChannels, activation: this.activation },
        { input: this.input, weightScales: this.weightScales, output: this.output },
        op,
      ),
    );
    Object.freeze(this);
  }
}

brandClass(QuantizedConvWeights, 'QuantizedConvWeights');

const KINDS: readonly ConvKind[] = ['conv2d', 'depthwiseConv2d', 'pointwiseConv2d'];

function checkKind(op: string, kind: unknown): ConvKind {
  if (!KINDS.includes(kind as ConvKind)) {
    throw new ValueError(op, 'kind', `kind must be one of ${KINDS.map((k) => `'${k}'`).join(', ')}, got ${describeValue(kind)}`);
  }
  return kind as ConvKind;
}

const LAYOUTS: Record<ConvKind, string> = {
  conv2d: '[kernelHeight, kernelWidth, inChannels, outChannels]',
  depthwiseConv2d: '[kernelHeight, kernelWidth, inChannels, multiplier]',
  pointwiseConv2d: '[inChannels, outChannels] (or [1, 1, inChannels, outChannels])',
};

function checkFilterShape(op: string, kind: ConvKind, shape: readonly number[]): readonly number[] {
  assertValidShape(op, 'filterShape', shape);
  const pointwise = shape.length === 2 || (shape.length === 4 && shape[0] === 1 && shape[1] === 1);
  const fits = kind === 'pointwiseConv2d' ? pointwise : shape.length === 4;
  if (!fits || shape.some((dim) => dim < 1)) {
    throw new ShapeError(op, 'filterShape', `filterShape of a ${kind} must be ${LAYOUTS[kind]} with dimensions >= 1, got ${formatShape(shape)}`);
  }
  return shape;
}

interface FilterDims {
  kernelHeight: number;
  kernelWidth: number;
  inChannels: number;
  channelMultiplier: number;
  outChannels: number;
}

function filterDims(kind: ConvKind, shape: readonly number[]): FilterDims {
  if (kind === 'pointwiseConv2d') {
    return { kernelHeight: 1, kernelWidth: 1, inChannels: shape.at(-2)!, channelMultiplier: 1, outChannels: shape.at(-1)! };
  }
  const [kernelHeight, kernelWidth, inChannels, last] = shape as [number, number, number, number];
  return kind === 'depthwiseConv2d'
    ? { kernelHeight, kernelWidth, inChannels, channelMultiplier: last, outChannels: inChannels * last }
    : { kernelHeight, kernelWidth, inChannels, channelMultiplier: 1, outChannels: last };
}

function checkFilter(op: string, filter: unknown, shape: readonly number[]): Int8Array {
  if (!ArrayBuffer.isView(filter) || Object.prototype.toString.call(filter) !== '[object Int8Array]') {
    throw new DTypeError(op, 'filter', `filter must be an Int8Array, got ${describeValue(filter)}`);
  }
  const data = filter as Int8Array;
  if (data.length !== sizeOf(shape)) {
    throw new ShapeError(op, 'filter', `filter length ${data.length} does not match filterShape ${formatShape(shape)} (${sizeOf(shape)} elements)`);
  }
  // Symmetric weights never hold -128 (TensorFlow Lite's rule); kernels may rely on it (e.g. `-w` fits in int8).
  const index = data.indexOf(-128);
  if (index >= 0)
    throw new ValueError(op, 'filter', `filter values must be in [-${INT8_WEIGHT_MAX}, ${INT8_WEIGHT_MAX}] (symmetric), got -128 at index ${index}`);
  return data;
}

function checkBias(op: string, bias: unknown, outChannels: number): Int32Array | undefined {
  if (bias === undefined) return undefined;
  if (!ArrayBuffer.isView(bias) || Object.prototype.toString.call(bias) !== '[object Int32Array]') {
    throw new DTypeError(op, 'bias', `bias must be an Int32Array, got ${describeValue(bias)}`);
  }
  if ((bias as Int32Array).length !== outChannels) {
    throw new ShapeError(op, 'bias', `bias must hold outChannels=${outChannels} values, got ${(bias as Int32Array).length}`);
  }
  return bias as Int32Array;
}
