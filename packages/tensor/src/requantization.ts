/**
 * The integer parameters of each int8 op, computed once from the float scales (TensorFlow
 * Lite computes the same in each op's `Prepare`). Kernels on every backend read these and
 * nothing else, so they agree bit for bit: the float arithmetic that chooses a multiplier
 * happens once, here.
 */
import { checkActivation } from './activation.js';
import { describeValue } from './describe-value.js';
import { UnsupportedError, ValueError } from './errors.js';
import type { Activation, ConvActivation } from './options.js';
import { checkQuantParams, INT8_MAX, INT8_MIN, roundHalfAwayFromZero, type QuantParams } from './quant-params.js';
import { quantizeMultiplier } from './quantize-multiplier.js';

/** The activations a clamp of an int8 output expresses (TensorFlow Lite's `CalculateActivationRangeQuantized`). */
const CLAMP_ACTIVATIONS: readonly Activation[] = ['linear', 'relu', 'relu6'];

/** The int8 clamp an activation becomes: outputs are clamped to `[activationMin, activationMax]`. */
export interface ActivationRange {
  readonly activationMin: number;
  readonly activationMax: number;
}

/**
 * TensorFlow Lite's `CalculateActivationRangeQuantized` for int8: `linear` → `[-128, 127]`;
 * `relu` → `[max(-128, q(0)), 127]`; `relu6` → `[max(-128, q(0)), min(127, q(6))]` with
 * `q(v) = zeroPoint + round(v / scale)` (float32 division, ties away from zero).
 * @throws UnsupportedError for an activation other than linear/relu/relu6 (no clamp expresses it).
 */
export function activationRange(op: string, activation: Activation, output: QuantParams): ActivationRange {
  const resolved = checkActivation(op, 'options.activation', activation);
  if (!CLAMP_ACTIVATIONS.includes(resolved)) {
    throw new UnsupportedError(
      op,
      'options.activation',
      `options.activation '${resolved}' has no int8 kernel (int8 ops fuse ${CLAMP_ACTIVATIONS.map((a) => `'${a}'`).join(', ')}, a clamp of the quantized output)`,
    );
  }
  const quantizeReal = (value: number): number => output.zeroPoint + roundHalfAwayFromZero(Math.fround(value / output.scale));
  const clampFloor = resolved === 'linear' ? INT8_MIN : Math.max(INT8_MIN, quantizeReal(0));
  const clampCeiling = resolved === 'relu6' ? Math.min(INT8_MAX, quantizeReal(6)) : INT8_MAX;
  return { activationMin: clampFloor, activationMax: clampCeiling };
}

/** Per-output-channel requantization of an int8 convolution (conv2d, depthwise, pointwise). */
export interface ConvRequantization extends ActivationRange {
  readonly inputZeroPoint: number;
  readonly outputZeroPoint: number;
  /** `[outChannels]`, from `quantizeMultiplier(inputScale · weightScales[c] / outputScale)`. */
  readonly multipliers: Int32Array;
  /** `[outChannels]`, the matching shifts. */
  readonly shifts: Int32Array;
}

/** The float scales of an int8 convolution. */
export interface ConvQuantization {
  readonly input: QuantParams;
  /** `[outChannels]`, the per-channel weight scales (zero point 0). */
  readonly weightScales: ArrayLike<number>;
  readonly output: QuantParams;
}

/**
 * Requantization of an int8 convolution: for output channel `c`,
 * `y = clamp(output.zeroPoint + MBQM(acc, M[c]), activationMin, activationMax)` where `acc` is
 * the int32 sum of `w · (x − input.zeroPoint)` plus the int32 bias, and `M[c]` represents
 * `input.scale · weightScales[c] / output.scale` (computed in float64, as TensorFlow Lite).
 * @param geometry the convolution's `outChannels` and `activation` (a `Conv2dGeometry`).
 * @throws ValueError naming `op` and the argument for bad scales, zero points or a scale count
 * that is not `outChannels`; UnsupportedError for an activation other than linear/relu/relu6.
 */
export function convRequantization(
  geometry: { readonly outChannels: number; readonly activation: ConvActivation },
  quantization: ConvQuantization,
  op = 'convRequantization',
): ConvRequantization {
  const input = checkQuantParams(op, 'input', quantization.input);
  const output = checkQuantParams(op, 'output', quantization.output);
  const { weightScales } = quantization;
  if (weightScales?.length !== geometry.outChannels) {
    throw new ValueError(op, 'weightScales', `weightScales must hold outChannels=${geometry.outChannels} scales, got ${describeValue(weightScales)}`);
  }
  const multipliers = new Int32Array(geometry.outChannels);
  const shifts = new Int32Array(geometry.outChannels);
  for (let c = 0; c < geometry.outChannels; c++) {
    const weightScale = weightScales[c]!;
    if (typeof weightScale !== 'number' || !Number.isFinite(weightScale) || weightScale <= 0) {
      throw new ValueError(op, 'weightScales', `weightScales[${c}] must be a finite number > 0, got ${describeValue(weightScale)}`);
    }
    const { multiplier, shift } = quantizeMultiplier((input.scale * weightScale) / output.scale);
    multipliers[c] = multiplier;
    shifts[c] = shift;
  }
  return {
    inputZeroPoint: input.zeroPoint,
    outputZeroPoint: output.zeroPoint,
    multipliers,
    shifts,
    ...activationRange(op, geometry.activation, output),
  };
}

/** TensorFlow Lite's int8 `ADD`: both inputs are scaled to a common fixed-point scale, then summed and requantized. */
export interface AddRequantization extends ActivationRange {
  /** 20 for int8: inputs are shifted left this far before their multipliers, keeping precision. */
  readonly leftShift: number;
  readonly aZeroPoint: number;
  readonly aMultiplier: number;
  /** ≤ 0. */
  readonly aShift: number;
  readonly bZeroPoint: number;
  readonly bMultiplier: number;
  readonly bShift: number;
  readonly outputZeroPoint: number;
  readonly outputMultiplier: number;
  readonly outputShift: number;
}

/** TensorFlow Lite's left shift for int8 (and uint8) `ADD`. */
export const ADD_LEFT_SHIFT = 20;

function multiplierBelowOne(op: string, argument: string, real: number): { multiplier: number; shift: number } {
  const quantized = quantizeMultiplier(real);
  if (quantized.shift > 0) {
    throw new ValueError(
      op,
      argument,
      `${argument} gives a requantization multiplier ${real} >= 1; int8 add needs output.scale > 2·max(a.scale, b.scale) / 2^${ADD_LEFT_SHIFT}`,
    );
  }
  return quantized;
}

/**
 * Requantization of int8 `add(a, b)`, as TensorFlow Lite's `Prepare` for `ADD`: with
 * `twiceMax = 2·max(a.scale, b.scale)`, input multipliers `a.scale / twiceMax`,
 * `b.scale / twiceMax` (≤ 0.5) and output multiplier `twiceMax / (2^20 · output.scale)`, all
 * below 1 (non-positive shifts).
 * @throws ValueError naming `op` and the argument for bad parameters or an output scale so
 * small the output multiplier reaches 1; UnsupportedError for an activation other than
 * linear/relu/relu6.
 */
export function addRequantization(
  a: QuantParams,
  b: QuantParams,
  output: QuantParams,
  activation: Activation = 'linear',
  op = 'addRequantization',
): AddRequantization {
  const aParams = checkQuantParams(op, 'a', a);
  const bParams = checkQuantParams(op, 'b', b);
  const outParams = checkQuantParams(op, 'output', output);
  const twiceMax = 2 * Math.max(aParams.scale, bParams.scale);
  const aQuantized = multiplierBelowOne(op, 'a', aParams.scale / twiceMax);
  const bQuantized = multiplierBelowOne(op, 'b', bParams.scale / twiceMax);
  const outQuantized = multiplierBelowOne(op, 'output', twiceMax / (2 ** ADD_LEFT_SHIFT * outParams.scale));
  return {
    leftShift: ADD_LEFT_SHIFT,
    aZeroPoint: aParams.zeroPoint,
    aMultiplier: aQuantized.multiplier,
    aShift: aQuantized.shift,
    bZeroPoint: bParams.zeroPoint,
    bMultiplier: bQuantized.multiplier,
    bShift: bQuantized.shift,
    outputZeroPoint: outParams.zeroPoint,
    outputMultiplier: outQuantized.multiplier,
    outputShift: outQuantized.shift,
    ...activationRange(op, activation, outParams),
  };
}

/**
 * Requantization of int8 windowed average pooling. TensorFlow Lite's int8 `AVERAGE_POOL_2D`
 * requires the output's scale and zero point to equal the input's (the average of int8 values
 * is rounded back to int8 without a multiplier), so only the activation clamp remains.
 * @throws ValueError naming `op` and `output` when the parameters differ.
 */
export function pool2dRequantization(
  input: QuantParams,
  output: QuantParams,
  activation: Activation = 'linear',
  op = 'pool2dRequantization',
): ActivationRange {
  const inParams = checkQuantParams(op, 'input', input);
  const outParams = checkQuantParams(op, 'output', output);
  if (inParams.scale !== outParams.scale || inParams.zeroPoint !== outParams.zeroPoint) {
    throw new UnsupportedError(
      op,
      'output',
      `int8 average pooling keeps the input's quantization (as TensorFlow Lite): output must be { scale: ${inParams.scale}, zeroPoint: ${inParams.zeroPoint} }, got ${describeValue(output)}`,
    );
  }
  return activationRange(op, activation, outParams);
}

/** Requantization of int8 global average pooling (TensorFlow Lite's int8 `MEAN` over height and width). */
export interface GlobalPool2dRequantization extends ActivationRange {
  readonly inputZeroPoint: number;
  readonly outputZeroPoint: number;
  /** Represents `input.scale / output.scale`. */
  readonly multiplier: number;
  readonly shift: number;
}

/**
 * Requantization of int8 global average pooling, as TensorFlow Lite's `MEAN` over axes 1 and 2:
 * `y = clamp(output.zeroPoint + roundDiv(MBQM(Σ (x − input.zeroPoint), M), count), min, max)`
 * with `M` representing `input.scale / output.scale` and `roundDiv` dividing by the pixel count
 * with ties away from zero.
 * @throws ValueError naming `op` and the argument for bad parameters (or a ratio of 2^30 or more).
 */
export function globalPool2dRequantization(
  input: QuantParams,
  output: QuantParams,
  activation: Activation = 'linear',
  op = 'globalPool2dRequantization',
): GlobalPool2dRequantization {
  const inParams = checkQuantParams(op, 'input', input);
  const outParams = checkQuantParams(op, 'output', output);
  const { multiplier, shift } = quantizeMultiplier(inParams.scale / outParams.scale);
  return {
    inputZeroPoint: inParams.zeroPoint,
    outputZeroPoint: outParams.zeroPoint,
    multiplier,
    shift,
    ...activationRange(op, activation, outParams),
  };
}

/** Requantization of int8 values to other parameters (TensorFlow Lite's int8 → int8 `QUANTIZE`). */
export interface RequantizeRequantization {
  readonly inputZeroPoint: number;
  readonly outputZeroPoint: number;
  /** Represents `input.scale / output.scale`. */
  readonly multiplier: number;
  readonly shift: number;
}

/**
 * Requantization of int8 values from `input` to `output` parameters, as TensorFlow Lite's
 * `Requantize`: `y = clamp(output.zeroPoint + MBQM(x − input.zeroPoint, M), -128, 127)` with `M`
 * representing `input.scale / output.scale` (computed in float64).
 * @throws ValueError naming `op` and the argument for bad parameters, or `output` for a ratio of 2^30 or more.
 */
export function requantizeRequantization(input: QuantParams, output: QuantParams, op = 'requantizeRequantization'): RequantizeRequantization {
  const inParams = checkQuantParams(op, 'input', input);
  const outParams = checkQuantParams(op, 'output', output);
  const ratio = inParams.scale / outParams.scale;
  if (ratio >= 2 ** 30) {
    throw new ValueError(op, 'output', `output.scale must be more than input.scale / 2^30 (${inParams.scale / 2 ** 30}), got ${outParams.scale}`);
  }
  const { multiplier, shift } = quantizeMultiplier(ratio);
  return { inputZeroPoint: inParams.zeroPoint, outputZeroPoint: outParams.zeroPoint, multiplier, shift };
}

/** TensorFlow Lite's int8 `MUL`: the product of the zero-point-shifted inputs, requantized once. */
export interface MulRequantization extends ActivationRange {
  readonly aZeroPoint: number;
  readonly bZeroPoint: number;
  readonly outputZeroPoint: number;
  /** Represents `a.scale · b.scale / output.scale`. */
  readonly multiplier: number;
  readonly shift: number;
}

/**
 * Requantization of int8 `mul(a, b)`, as TensorFlow Lite's `Prepare` for `MUL`:
 * `y = clamp(output.zeroPoint + MBQM((a − aZp) · (b − bZp), M), activationMin, activationMax)`
 * with `M` representing `a.scale · b.scale / output.scale` (computed in float64). The product of
 * two shifted int8 values stays within ±65025, so it is exact in int32.
 * @throws ValueError naming `op` and the argument for bad parameters, or `output` when the ratio
 * is 2^30 or more; UnsupportedError for an activation other than linear/relu/relu6.
 */
export function mulRequantization(
  a: QuantParams,
  b: QuantParams,
  output: QuantParams,
  activation: Activation = 'linear',
  op = 'mulRequantization',
): MulRequantization {
  const aParams = checkQuantParams(op, 'a', a);
  const bParams = checkQuantParams(op, 'b', b);
  const outParams = checkQuantParams(op, 'output', output);
  const ratio = (aParams.scale * bParams.scale) / outParams.scale;
  if (ratio >= 2 ** 30) {
    throw new ValueError(
      op,
      'output',
      `output.scale must be more than a.scale · b.scale / 2^30 (${(aParams.scale * bParams.scale) / 2 ** 30}), got ${outParams.scale}`,
    );
  }
  const { multiplier, shift } = quantizeMultiplier(ratio);
  return {
    aZeroPoint: aParams.zeroPoint,
    bZeroPoint: bParams.zeroPoint,
    outputZeroPoint: outParams.zeroPoint,
    multiplier,
    shift,
    ...activationRange(op, activation, outParams),
  };
}
