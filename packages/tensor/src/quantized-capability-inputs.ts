/**
 * One row per int8 capability (merged into `defineBackend`'s capability rows): from the method's
 * arguments to its kernel's inputs — every argument validated (typed errors naming op and
 * argument), the geometry computed with the float ops' rules, the quantization of each input
 * checked against what the integer parameters were computed for, and those parameters computed.
 */
import { assertQuantizedTensor, assertQuantParamsEqual } from './assert-quantized-tensor.js';
import { broadcastGeometry, type BinaryGeometry } from './binary-geometry.js';
import { assertTensorList, concatShapesGeometry } from './concat-geometry.js';
import { assertTensor, checkInputShape, checkOptionsObject, convGeometry, outputShape, type Conv2dGeometry, type ConvKind } from './conv-geometry.js';
import { describeValue } from './describe-value.js';
import { ShapeError, UnsupportedError, ValueError } from './errors.js';
import { globalPool2dShapeGeometry } from './global-pool2d-geometry.js';
import type { ConvActivation, ExplicitPadding, Pool2dOptions } from './options.js';
import { padShapeGeometry } from './pad-geometry.js';
import { checkRequiredOptions, pool2dShapeGeometry } from './pool2d-geometry.js';
import { checkQuantParams, type QuantParams } from './quant-params.js';
import type { QuantizedCapabilitySignatures } from './quantized-backend.js';
import { QuantizedConvWeights } from './quantized-conv-weights.js';
import type { QuantizedCapabilityKernelInputs, QuantizedConvKernelInputs } from './quantized-kernel-inputs.js';
import { QuantizedLookupTable } from './quantized-lookup-table.js';
import type { QuantizedAddOptions, QuantizedConv2dOptions, QuantizedGlobalPool2dOptions, QuantizedMulOptions } from './quantized-options.js';
import type { QuantizedTensor } from './quantized-tensor.js';
import {
  addRequantization,
  globalPool2dRequantization,
  mulRequantization,
  pool2dRequantization,
  requantizeRequantization,
} from './requantization.js';
import { reshapeShapeGeometry } from './reshape-geometry.js';
import type { Tensor } from './tensor.js';

/** Checks that `weights` is a {@link QuantizedConvWeights} for `kind`; ValueError naming `argument`. */
function assertWeights(op: string, argument: string, weights: unknown, kind: ConvKind): asserts weights is QuantizedConvWeights {
  if (!(weights instanceof QuantizedConvWeights)) {
    throw new ValueError(op, argument, `${argument} must be a QuantizedConvWeights, got ${describeValue(weights)}`);
  }
  if (weights.kind !== kind) throw new ValueError(op, argument, `${argument} must be ${kind} weights, got ${weights.kind} weights`);
}

/** The geometry of one int8 convolution step over an input of `inputShape` and quantization `input`. */
function convStepGeometry(
  op: string,
  argument: string,
  weights: QuantizedConvWeights,
  inputShape: readonly number[],
  input: QuantParams,
  options: QuantizedConv2dOptions,
): Conv2dGeometry {
  if (inputShape[3] !== weights.inChannels) {
    throw new ShapeError(
      op,
      argument,
      `${argument} expects inChannels=${weights.inChannels} (filterShape ${describeValue(weights.filterShape)}), but its input has ${inputShape[3]} channels`,
    );
  }
  assertQuantParamsEqual(op, 'x', input, weights.input, `${argument}.input`);
  return convGeometry(
    {
      kind: weights.kind,
      inputShape,
      kernelHeight: weights.kernelHeight,
      kernelWidth: weights.kernelWidth,
      outChannels: weights.outChannels,
      channelMultiplier: weights.channelMultiplier,
      strides: options.strides,
      dilations: options.dilations,
      padding: options.padding,
      hasBias: weights.bias !== undefined,
      activation: weights.activation,
    },
    op,
    'x',
    argument,
  );
}

/** A row of the three single-step int8 convolutions. */
const convInputs =
  (op: string, kind: ConvKind) =>
  (x: QuantizedTensor, weights: QuantizedConvWeights, options: QuantizedConv2dOptions = {}): QuantizedConvKernelInputs => {
    assertQuantizedTensor(op, 'x', x);
    assertWeights(op, 'weights', weights, kind);
    checkOptionsObject(op, options);
    checkInputShape(op, 'x', x.shape);
    const geometry = convStepGeometry(op, 'weights', weights, x.shape, x.quantization, options);
    return { x, weights, geometry, output: weights.output };
  };

function separableInputs(
  x: QuantizedTensor,
  depthwiseWeights: QuantizedConvWeights,
  pointwiseWeights: QuantizedConvWeights,
  options: QuantizedConv2dOptions = {},
): QuantizedCapabilityKernelInputs<Tensor>['quantizedSeparableConv2d'] {
  const op = 'quantizedSeparableConv2d';
  assertQuantizedTensor(op, 'x', x);
  assertWeights(op, 'depthwiseWeights', depthwiseWeights, 'depthwiseConv2d');
  assertWeights(op, 'pointwiseWeights', pointwiseWeights, 'pointwiseConv2d');
  checkOptionsObject(op, options);
  checkInputShape(op, 'x', x.shape);
  const depthwise = convStepGeometry(op, 'depthwiseWeights', depthwiseWeights, x.shape, x.quantization, options);
  if (pointwiseWeights.inChannels !== depthwise.outChannels) {
    throw new ShapeError(
      op,
      'pointwiseWeights',
      `pointwiseWeights expects inChannels=${pointwiseWeights.inChannels}, but the depthwise step gives ${depthwise.outChannels} channels`,
    );
  }
  if (pointwiseWeights.input.scale !== depthwiseWeights.output.scale || pointwiseWeights.input.zeroPoint !== depthwiseWeights.output.zeroPoint) {
    throw new ValueError(
      op,
      'pointwiseWeights',
      `pointwiseWeights.input must equal depthwiseWeights.output ${describeValue(depthwiseWeights.output)}, got ${describeValue(pointwiseWeights.input)}`,
    );
  }
  const pointwise = convStepGeometry(op, 'pointwiseWeights', pointwiseWeights, outputShape(depthwise), depthwiseWeights.output, {});
  return { x, depthwiseWeights, pointwiseWeights, geometry: { depthwise, pointwise }, output: pointwiseWeights.output };
}

/**
 * The inputs of an int8 binary op: both operands checked, `options.output` required, the
 * requantization from `requantize` and the broadcast geometry of `kind`.
 */
function int8BinaryInputs<R>(
  op: 'quantizedAdd' | 'quantizedMul',
  kind: 'add' | 'mul',
  a: QuantizedTensor,
  b: QuantizedTensor,
  options: QuantizedAddOptions | QuantizedMulOptions,
  requantize: (a: QuantParams, b: QuantParams, output: QuantParams, activation: ConvActivation | undefined, op: string) => R,
): { a: QuantizedTensor; b: QuantizedTensor; geometry: BinaryGeometry; output: QuantParams; requantization: R } {
  assertQuantizedTensor(op, 'a', a);
  assertQuantizedTensor(op, 'b', b);
  checkRequiredOptions(op, options);
  const output = checkQuantParams(op, 'options.output', options.output);
  const requantization = requantize(a.quantization, b.quantization, output, options.activation, op);
  const geometry = broadcastGeometry(kind, a.shape, b.shape, options.activation ?? 'linear', op);
  return { a, b, geometry, output, requantization };
}

function addInputs(a: QuantizedTensor, b: QuantizedTensor, options: QuantizedAddOptions): QuantizedCapabilityKernelInputs<Tensor>['quantizedAdd'] {
  return int8BinaryInputs('quantizedAdd', 'add', a, b, options, addRequantization);
}

function mulInputs(a: QuantizedTensor, b: QuantizedTensor, options: QuantizedMulOptions): QuantizedCapabilityKernelInputs<Tensor>['quantizedMul'] {
  return int8BinaryInputs('quantizedMul', 'mul', a, b, options, mulRequantization);
}

function lookupInputs(x: QuantizedTensor, table: QuantizedLookupTable): QuantizedCapabilityKernelInputs<Tensor>['quantizedLookup'] {
  const op = 'quantizedLookup';
  assertQuantizedTensor(op, 'x', x);
  if (!(table instanceof QuantizedLookupTable)) {
    throw new ValueError(op, 'table', `table must be a QuantizedLookupTable (see int8LookupTable), got ${describeValue(table)}`);
  }
  assertQuantParamsEqual(op, 'x', x.quantization, table.input, 'table.input');
  return { x, table, output: table.output };
}

function pool2dInputs(x: QuantizedTensor, options: Pool2dOptions): QuantizedCapabilityKernelInputs<Tensor>['quantizedPool2d'] {
  const op = 'quantizedPool2d';
  assertQuantizedTensor(op, 'x', x);
  const geometry = pool2dShapeGeometry(op, x.shape, options);
  return { x, geometry, output: x.quantization, requantization: pool2dRequantization(x.quantization, x.quantization, 'linear', op) };
}

function globalPool2dInputs(
  x: QuantizedTensor,
  options: QuantizedGlobalPool2dOptions,
): QuantizedCapabilityKernelInputs<Tensor>['quantizedGlobalPool2d'] {
  const op = 'quantizedGlobalPool2d';
  assertQuantizedTensor(op, 'x', x);
  const geometry = globalPool2dShapeGeometry(op, x.shape, options);
  const output = options.output === undefined ? x.quantization : checkQuantParams(op, 'options.output', options.output);
  if (geometry.type === 'max' && (output.scale !== x.quantization.scale || output.zeroPoint !== x.quantization.zeroPoint)) {
    throw new UnsupportedError(
      op,
      'options.output',
      `int8 max pooling keeps the input's quantization: options.output must be absent or ${describeValue(x.quantization)}, got ${describeValue(output)}`,
    );
  }
  return { x, geometry, output, requantization: globalPool2dRequantization(x.quantization, output, 'linear', op) };
}

function concatInputs(
  xs: readonly QuantizedTensor[],
  options?: { axis?: number | undefined },
): QuantizedCapabilityKernelInputs<Tensor>['quantizedConcat'] {
  const op = 'quantizedConcat';
  assertTensorList(op, xs);
  xs.forEach((x, i) => assertQuantizedTensor(op, `xs[${i}]`, x));
  const output = xs[0]!.quantization;
  xs.forEach((x, i) => assertQuantParamsEqual(op, `xs[${i}]`, x.quantization, output, "xs[0]'s quantization"));
  const geometry = concatShapesGeometry(
    op,
    xs.map((x) => x.shape),
    options,
  );
  return { xs, geometry, output };
}

function padInputs(x: QuantizedTensor, padding: ExplicitPadding): QuantizedCapabilityKernelInputs<Tensor>['quantizedPad'] {
  const op = 'quantizedPad';
  assertQuantizedTensor(op, 'x', x);
  return { x, geometry: padShapeGeometry(op, x.shape, padding, x.quantization.zeroPoint), output: x.quantization };
}

/** The int8 rows of `defineBackend`'s capability table (key order: the order methods are added). */
export const QUANTIZED_CAPABILITY_INPUTS: {
  readonly [C in keyof QuantizedCapabilityKernelInputs<Tensor>]: (
    ...args: Parameters<QuantizedCapabilitySignatures<Tensor>[C]>
  ) => QuantizedCapabilityKernelInputs<Tensor>[C];
} = {
  quantize: (x, output) => {
    assertTensor('quantize', 'x', x);
    return { x, output: checkQuantParams('quantize', 'output', output) };
  },
  dequantize: (x) => {
    assertQuantizedTensor('dequantize', 'x', x);
    return { x };
  },
  requantize: (x, output) => {
    assertQuantizedTensor('requantize', 'x', x);
    const checked = checkQuantParams('requantize', 'output', output);
    return { x, output: checked, requantization: requantizeRequantization(x.quantization, checked, 'requantize') };
  },
  quantizedConv2d: convInputs('quantizedConv2d', 'conv2d'),
  quantizedDepthwiseConv2d: convInputs('quantizedDepthwiseConv2d', 'depthwiseConv2d'),
  quantizedPointwiseConv2d: convInputs('quantizedPointwiseConv2d', 'pointwiseConv2d'),
  quantizedSeparableConv2d: separableInputs,
  quantizedAdd: addInputs,
  quantizedMul: mulInputs,
  quantizedLookup: lookupInputs,
  quantizedPool2d: pool2dInputs,
  quantizedGlobalPool2d: globalPool2dInputs,
  quantizedConcat: concatInputs,
  quantizedPad: padInputs,
  quantizedReshape: (x, shape) => {
    assertQuantizedTensor('quantizedReshape', 'x', x);
    return { x, geometry: reshapeShapeGeometry('quantizedReshape', x.shape, shape), output: x.quantization };
  },
};
