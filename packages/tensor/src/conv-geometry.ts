import { checkConvActivation } from './activation.js';
import { DTypeError, formatShape, ShapeError, ValueError } from './errors.js';
import {
  type Activation,
  type Conv2dOptions,
  type ConvActivation,
  type ExplicitPadding,
  type Padding,
  type SeparableConv2dOptions,
} from './options.js';
import { describeValue } from './describe-value.js';
import { exceedsMaxElements, MAX_ELEMENTS } from './shape.js';
import { assertFloat32Data, isHostTensor, type HostTensor, type Tensor } from './tensor.js';
import { heldData } from './channel-scaled-tensor.js';

/** Which convolution a geometry describes; decides the filter layout. */
export type ConvKind = 'conv2d' | 'depthwiseConv2d' | 'pointwiseConv2d';

/**
 * Everything a kernel needs to know about one convolution, computed once from the call.
 * Kernels receive this and never look at raw options or re-apply defaults.
 * Output channels are `inChannels * channelMultiplier` for depthwise (channel `c` produces
 * outputs `c * channelMultiplier + m`, as TensorFlow), `outChannels` of the filter otherwise.
 */
export interface Conv2dGeometry {
  readonly kind: ConvKind;
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  /** 1 unless `kind` is `depthwiseConv2d`. */
  readonly channelMultiplier: number;
  readonly outChannels: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly hasBias: boolean;
  /**
   * Whether `options.residual` (a tensor of the output's shape) is added after the bias and
   * before the activation. For a separable convolution, set on the pointwise step only.
   */
  readonly hasResidual: boolean;
  /** The fused epilogue; other activations are refused with an UnsupportedError. */
  readonly activation: ConvActivation;
}

/** A separable convolution: the depthwise step, then a 1×1 pointwise step on its output. */
export interface SeparableConv2dGeometry {
  readonly depthwise: Conv2dGeometry;
  readonly pointwise: Conv2dGeometry;
}

/** The plain-data description of a convolution, before any tensor exists (layer specs use it). */
export interface ConvShapeSpec {
  kind: ConvKind;
  /** NHWC `[batch, height, width, channels]`. */
  inputShape: readonly number[];
  kernelHeight: number;
  kernelWidth: number;
  /** Output channels of conv2d / pointwise; ignored for depthwise. */
  outChannels?: number | undefined;
  /** Depthwise channel multiplier; default 1. */
  channelMultiplier?: number | undefined;
  strides?: number | readonly [number, number] | undefined;
  dilations?: number | readonly [number, number] | undefined;
  padding?: Padding | undefined;
  hasBias?: boolean | undefined;
  /** Whether a residual of the output's shape is added before the activation; default false. */
  hasResidual?: boolean | undefined;
  activation?: Activation | undefined;
}

/** Output NHWC shape of a geometry. */
export function outputShape(geometry: Conv2dGeometry): [number, number, number, number] {
  return [geometry.batch, geometry.outHeight, geometry.outWidth, geometry.outChannels];
}

/** Resolves a positive-integer pair option (`n` or `[height, width]`, default `[1, 1]`); ValueError naming `argument`. */
export function positivePair(op: string, argument: string, value: unknown): [number, number] {
  const pair = value === undefined ? [1, 1] : typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2) {
    throw new ValueError(op, argument, `${argument} must be a positive integer or [height, width], got ${describeValue(value)}`);
  }
  for (const v of pair) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new ValueError(op, argument, `${argument} must be positive integers, got ${describeValue(value)}`);
    }
  }
  return [pair[0], pair[1]];
}

interface AxisPadding {
  before: number;
  after: number;
  out: number;
}

function samePadding(inSize: number, effectiveKernel: number, stride: number): AxisPadding {
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + effectiveKernel - inSize, 0);
  // TensorFlow's rule: the odd extra row/column goes after (bottom/right).
  const before = Math.floor(total / 2);
  return { before, after: total - before, out };
}

/** Checks an explicit `{top, bottom, left, right}` padding of non-negative integers; ValueError naming `argument`. */
export function explicitPadding(op: string, argument: string, value: unknown): ExplicitPadding {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValueError(op, argument, `${argument} must be {top, bottom, left, right}, got ${describeValue(value)}`);
  }
  const explicit = value as Record<string, unknown>;
  for (const side of ['top', 'bottom', 'left', 'right'] as const) {
    const v = explicit[side];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new ValueError(op, argument, `${argument}.${side} must be a non-negative integer, got ${describeValue(v)}`);
    }
  }
  return { top: explicit.top as number, bottom: explicit.bottom as number, left: explicit.left as number, right: explicit.right as number };
}

function resolvePadding(
  op: string,
  padding: unknown,
  inHeight: number,
  inWidth: number,
  effectiveKernel: [number, number],
  strides: [number, number],
): ExplicitPadding {
  const value = padding === undefined ? 'valid' : padding;
  if (value === 'valid') return { top: 0, bottom: 0, left: 0, right: 0 };
  if (value === 'same') {
    const h = samePadding(inHeight, effectiveKernel[0], strides[0]);
    const w = samePadding(inWidth, effectiveKernel[1], strides[1]);
    return { top: h.before, bottom: h.after, left: w.before, right: w.after };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return explicitPadding(op, 'options.padding', value);
  throw new ValueError(op, 'options.padding', `options.padding must be 'same', 'valid' or {top, bottom, left, right}, got ${describeValue(value)}`);
}

/** Where a sliding window (a convolution's kernel, a pooling window) goes along height and width. */
export interface WindowPlacement {
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
  readonly outHeight: number;
  readonly outWidth: number;
}

/**
 * Resolves `options.strides` and `options.padding` (`'valid'` default, `'same'` as TensorFlow,
 * or explicit) for a window of `extent` cells over an `inHeight × inWidth` input, and the
 * output size `floor((padded − extent) / stride) + 1`. The one home of this arithmetic for
 * convolutions and pooling. `describeExtent` says what the extent is in the error when the
 * window is larger than the padded input, which names `windowName`.
 */
export function placeWindow(
  op: string,
  windowName: string,
  inHeight: number,
  inWidth: number,
  extent: [number, number],
  strides: unknown,
  padding: unknown,
  describeExtent: string,
): WindowPlacement {
  const [strideHeight, strideWidth] = positivePair(op, 'options.strides', strides);
  const pad = resolvePadding(op, padding, inHeight, inWidth, extent, [strideHeight, strideWidth]);
  const paddedHeight = inHeight + pad.top + pad.bottom;
  const paddedWidth = inWidth + pad.left + pad.right;
  if (extent[0] > paddedHeight || extent[1] > paddedWidth) {
    throw new ShapeError(op, windowName, `${windowName}'s ${describeExtent} is larger than the padded input ${paddedHeight}x${paddedWidth}`);
  }
  return {
    strideHeight,
    strideWidth,
    padTop: pad.top,
    padBottom: pad.bottom,
    padLeft: pad.left,
    padRight: pad.right,
    outHeight: Math.floor((paddedHeight - extent[0]) / strideHeight) + 1,
    outWidth: Math.floor((paddedWidth - extent[1]) / strideWidth) + 1,
  };
}

/** Checks an NHWC shape: rank 4, batch ≥ 0, height, width and channels ≥ 1; ShapeError naming `argument`. */
export function checkInputShape(op: string, argument: string, shape: readonly number[]): void {
  if (!Array.isArray(shape) || shape.length !== 4) {
    const given = Array.isArray(shape) ? `rank ${shape.length} ${formatShape(shape)}` : describeValue(shape);
    throw new ShapeError(op, argument, `${argument} must be rank 4 [batch, height, width, channels] (NHWC), got ${given}`);
  }
  const names = ['batch', 'height', 'width', 'channels'];
  for (const [axis, dim] of shape.entries()) {
    const min = axis === 0 ? 0 : 1;
    if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < min) {
      throw new ShapeError(
        op,
        argument,
        `${argument} ${names[axis]} must be an integer >= ${min}, got ${describeValue(dim)} in ${formatShape(shape)}`,
      );
    }
  }
}

function checkPositive(op: string, argument: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ShapeError(op, argument, `${argument} ${name} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Resolves a convolution described as plain data into its geometry: strides, dilations and
 * padding normalised, output size computed. The one place defaults are applied.
 * @throws ShapeError / ValueError naming `op` and the argument at fault.
 */
export function convGeometry(spec: ConvShapeSpec, op: string = spec.kind, inputName = 'x', filterName = 'filter'): Conv2dGeometry {
  checkInputShape(op, inputName, spec.inputShape);
  const [batch, inHeight, inWidth, inChannels] = spec.inputShape as [number, number, number, number];
  const kernelHeight = checkPositive(op, filterName, 'kernelHeight', spec.kernelHeight);
  const kernelWidth = checkPositive(op, filterName, 'kernelWidth', spec.kernelWidth);
  const channelMultiplier = spec.kind === 'depthwiseConv2d' ? checkPositive(op, filterName, 'channel multiplier', spec.channelMultiplier ?? 1) : 1;
  const outChannels =
    spec.kind === 'depthwiseConv2d' ? inChannels * channelMultiplier : checkPositive(op, filterName, 'outChannels', spec.outChannels);
  const [dilationHeight, dilationWidth] = positivePair(op, 'options.dilations', spec.dilations);
  const effectiveKernel: [number, number] = [(kernelHeight - 1) * dilationHeight + 1, (kernelWidth - 1) * dilationWidth + 1];
  const window = placeWindow(
    op,
    filterName,
    inHeight,
    inWidth,
    effectiveKernel,
    spec.strides,
    spec.padding,
    `dilated extent ${effectiveKernel[0]}x${effectiveKernel[1]} (kernel ${kernelHeight}x${kernelWidth}, dilations ${dilationHeight}x${dilationWidth})`,
  );
  const { outHeight, outWidth } = window;
  const outSize = batch * outHeight * outWidth * outChannels;
  if (outSize > MAX_ELEMENTS) {
    throw new ShapeError(
      op,
      inputName,
      `${inputName} ${formatShape(spec.inputShape)} gives an output [${batch}, ${outHeight}, ${outWidth}, ${outChannels}] that would have ${outSize} elements, more than the ${MAX_ELEMENTS} (2^31 - 1) a tensor may hold`,
    );
  }
  return {
    kind: spec.kind,
    batch,
    inHeight,
    inWidth,
    inChannels,
    channelMultiplier,
    outChannels,
    kernelHeight,
    kernelWidth,
    strideHeight: window.strideHeight,
    strideWidth: window.strideWidth,
    dilationHeight,
    dilationWidth,
    padTop: window.padTop,
    padBottom: window.padBottom,
    padLeft: window.padLeft,
    padRight: window.padRight,
    outHeight,
    outWidth,
    hasBias: spec.hasBias ?? false,
    hasResidual: spec.hasResidual ?? false,
    activation: checkConvActivation(op, 'options.activation', spec.activation),
  };
}

/**
 * Checks that `t` is a live float32 tensor and, for a host tensor, that its data holds exactly the
 * elements its shape says; names `argument` in the error.
 */
export function assertTensor(op: string, argument: string, t: unknown): asserts t is Tensor {
  const candidate = t as Partial<Tensor> | null | undefined;
  if (candidate === null || typeof candidate !== 'object' || !Array.isArray(candidate.shape)) {
    throw new ValueError(op, argument, `${argument} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  }
  if (candidate.dtype !== 'float32') {
    throw new DTypeError(op, argument, `${argument} must be float32, got ${describeValue(candidate.dtype)}`);
  }
  if (candidate.isDisposed) {
    throw new ValueError(op, argument, `${argument} has been disposed`);
  }
  if (exceedsMaxElements(candidate.shape)) {
    throw new ShapeError(op, argument, `${argument} has more than ${MAX_ELEMENTS} (2^31 - 1) elements`);
  }
  // A host tensor's shape array may have changed since it was built, or the tensor may come from
  // a copy of this package that did not check: kernels index by shape, never past the data.
  if (isHostTensor(candidate as Tensor)) assertFloat32Data(op, argument, heldData(candidate as HostTensor), candidate.shape);
}

/** Checks that `options` is absent or a plain object; ValueError naming `options` otherwise. */
export function checkOptionsObject(op: string, options: unknown): void {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new ValueError(op, 'options', `options must be an object, got ${describeValue(options)}`);
  }
}

function checkBias(op: string, argument: string, bias: Tensor | undefined, length: number, what: string): boolean {
  if (bias === undefined) return false;
  assertTensor(op, argument, bias);
  if (bias.shape.length !== 1 || bias.shape[0] !== length) {
    throw new ShapeError(op, argument, `${argument} must be [${what}=${length}], got ${formatShape(bias.shape)}`);
  }
  return true;
}

/**
 * Checks `options.residual`: absent, or a live float32 tensor of exactly the output shape (no
 * broadcasting: it is read element for element in the epilogue).
 */
function checkResidual(op: string, residual: Tensor | undefined, output: readonly number[]): boolean {
  if (residual === undefined) return false;
  const argument = 'options.residual';
  assertTensor(op, argument, residual);
  if (residual.shape.length !== output.length || residual.shape.some((d, i) => d !== output[i])) {
    throw new ShapeError(op, argument, `${argument} must have the output's shape ${formatShape(output)}, got ${formatShape(residual.shape)}`);
  }
  return true;
}

function checkFilterRank(op: string, argument: string, filter: Tensor, expected: string): void {
  if (filter.shape.length !== 4) {
    throw new ShapeError(op, argument, `${argument} must be rank 4 ${expected}, got rank ${filter.shape.length} ${formatShape(filter.shape)}`);
  }
}

function checkFilterChannels(op: string, argument: string, filter: Tensor, axis: number, inChannels: number, expected: string): void {
  if (filter.shape[axis] !== inChannels) {
    throw new ShapeError(op, argument, `${argument} must be ${expected}, got ${formatShape(filter.shape)}`);
  }
}

/**
 * Validates a conv2d call and returns its geometry.
 * @param x NHWC input. @param filter `[kernelHeight, kernelWidth, inChannels, outChannels]`.
 */
export function conv2dGeometry(x: Tensor, filter: Tensor, options: Conv2dOptions = {}, op = 'conv2d'): Conv2dGeometry {
  assertTensor(op, 'x', x);
  assertTensor(op, 'filter', filter);
  checkOptionsObject(op, options);
  checkInputShape(op, 'x', x.shape);
  const expected = `[kernelHeight, kernelWidth, inChannels=${x.shape[3]}, outChannels]`;
  checkFilterRank(op, 'filter', filter, expected);
  checkFilterChannels(op, 'filter', filter, 2, x.shape[3]!, expected);
  const [kernelHeight, kernelWidth, , outChannels] = filter.shape as [number, number, number, number];
  const geometry = convGeometry({ kind: 'conv2d', inputShape: x.shape, kernelHeight, kernelWidth, outChannels, ...pickGeometryOptions(options) }, op);
  return {
    ...geometry,
    hasBias: checkBias(op, 'options.bias', options.bias, geometry.outChannels, 'outChannels'),
    hasResidual: checkResidual(op, options.residual, outputShape(geometry)),
  };
}

/**
 * Validates a depthwiseConv2d call and returns its geometry.
 * @param filter `[kernelHeight, kernelWidth, inChannels, channelMultiplier]`.
 */
export function depthwiseConv2dGeometry(
  x: Tensor,
  filter: Tensor,
  options: Conv2dOptions = {},
  op = 'depthwiseConv2d',
  filterName = 'filter',
): Conv2dGeometry {
  assertTensor(op, 'x', x);
  assertTensor(op, filterName, filter);
  checkOptionsObject(op, options);
  checkInputShape(op, 'x', x.shape);
  const expected = `[kernelHeight, kernelWidth, inChannels=${x.shape[3]}, multiplier]`;
  checkFilterRank(op, filterName, filter, expected);
  checkFilterChannels(op, filterName, filter, 2, x.shape[3]!, expected);
  const [kernelHeight, kernelWidth, , channelMultiplier] = filter.shape as [number, number, number, number];
  const geometry = convGeometry(
    { kind: 'depthwiseConv2d', inputShape: x.shape, kernelHeight, kernelWidth, channelMultiplier, ...pickGeometryOptions(options) },
    op,
    'x',
    filterName,
  );
  return {
    ...geometry,
    hasBias: checkBias(op, 'options.bias', options.bias, geometry.outChannels, 'inChannels * multiplier'),
    hasResidual: checkResidual(op, options.residual, outputShape(geometry)),
  };
}

/** Reads the `[inChannels, outChannels]` of a pointwise filter given as `[Cin, Cout]` or `[1, 1, Cin, Cout]`. */
function pointwiseChannels(op: string, argument: string, filter: Tensor, inChannels: number): number {
  const expected = `[inChannels=${inChannels}, outChannels] (or [1, 1, inChannels=${inChannels}, outChannels])`;
  const shape = filter.shape;
  const is2d = shape.length === 2;
  const is4d = shape.length === 4 && shape[0] === 1 && shape[1] === 1;
  if (!is2d && !is4d) {
    throw new ShapeError(op, argument, `${argument} must be ${expected}, got ${formatShape(shape)}`);
  }
  const cin = shape[shape.length - 2];
  const cout = shape[shape.length - 1]!;
  if (cin !== inChannels || cout < 1) {
    throw new ShapeError(op, argument, `${argument} must be ${expected}, got ${formatShape(shape)}`);
  }
  return cout;
}

/**
 * Validates a pointwiseConv2d (1×1 convolution) call and returns its geometry.
 * @param filter `[inChannels, outChannels]` (or `[1, 1, inChannels, outChannels]`).
 */
export function pointwiseConv2dGeometry(x: Tensor, filter: Tensor, options: Conv2dOptions = {}, op = 'pointwiseConv2d'): Conv2dGeometry {
  assertTensor(op, 'x', x);
  assertTensor(op, 'filter', filter);
  checkOptionsObject(op, options);
  checkInputShape(op, 'x', x.shape);
  const outChannels = pointwiseChannels(op, 'filter', filter, x.shape[3]!);
  const geometry = convGeometry(
    { kind: 'pointwiseConv2d', inputShape: x.shape, kernelHeight: 1, kernelWidth: 1, outChannels, ...pickGeometryOptions(options) },
    op,
  );
  return {
    ...geometry,
    hasBias: checkBias(op, 'options.bias', options.bias, outChannels, 'outChannels'),
    hasResidual: checkResidual(op, options.residual, outputShape(geometry)),
  };
}

/**
 * Validates a separableConv2d call and returns the geometry of both steps.
 * @param depthwiseFilter `[kernelHeight, kernelWidth, inChannels, multiplier]`.
 * @param pointwiseFilter `[inChannels * multiplier, outChannels]` (or `[1, 1, …, …]`).
 */
export function separableConv2dGeometry(
  x: Tensor,
  depthwiseFilter: Tensor,
  pointwiseFilter: Tensor,
  options: SeparableConv2dOptions = {},
): SeparableConv2dGeometry {
  const op = 'separableConv2d';
  checkOptionsObject(op, options);
  checkConvActivation(op, 'options.depthwiseActivation', options.depthwiseActivation);
  const depthwise = depthwiseConv2dGeometry(
    x,
    depthwiseFilter,
    { strides: options.strides, dilations: options.dilations, padding: options.padding, activation: options.depthwiseActivation },
    op,
    'depthwiseFilter',
  );
  const depthwiseHasBias = checkBias(op, 'options.depthwiseBias', options.depthwiseBias, depthwise.outChannels, 'inChannels * multiplier');
  assertTensor(op, 'pointwiseFilter', pointwiseFilter);
  const outChannels = pointwiseChannels(op, 'pointwiseFilter', pointwiseFilter, depthwise.outChannels);
  const pointwise = convGeometry(
    {
      kind: 'pointwiseConv2d',
      inputShape: outputShape(depthwise),
      kernelHeight: 1,
      kernelWidth: 1,
      outChannels,
      activation: options.activation,
    },
    op,
  );
  return {
    depthwise: { ...depthwise, hasBias: depthwiseHasBias },
    pointwise: {
      ...pointwise,
      hasBias: checkBias(op, 'options.bias', options.bias, outChannels, 'outChannels'),
      hasResidual: checkResidual(op, options.residual, outputShape(pointwise)),
    },
  };
}

function pickGeometryOptions(options: Conv2dOptions): Pick<ConvShapeSpec, 'strides' | 'dilations' | 'padding' | 'activation'> {
  return { strides: options.strides, dilations: options.dilations, padding: options.padding, activation: options.activation };
}
