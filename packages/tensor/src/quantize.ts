import { describeValue } from './describe-value.js';
import { ValueError } from './errors.js';
import { checkQuantParams, INT32_MAX, INT32_MIN, INT8_MAX, INT8_MIN, roundHalfAwayFromZero, type QuantParams } from './quant-params.js';
import { HostQuantizedTensor } from './quantized-tensor.js';
import { HostTensor, assertFloat32Data } from './tensor.js';

/**
 * Quantizes float values to int8 as TensorFlow Lite's reference `Quantize`:
 * `q = clamp(round(x / scale) + zeroPoint, -128, 127)` with the division in float32 and ties
 * away from zero; ±Infinity saturate. Writes into `out` (a new array by default).
 * @throws ValueError naming `quantize` and `x` (with the index) for a NaN, which has no int8 value.
 */
export function quantizeValues(values: Float32Array, params: QuantParams, out: Int8Array = new Int8Array(values.length)): Int8Array {
  const { scale, zeroPoint } = checkQuantParams('quantize', 'params', params);
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (Number.isNaN(value)) throw new ValueError('quantize', 'x', `x must not hold NaN (it has no int8 value), got NaN at index ${index}`);
    const q = roundHalfAwayFromZero(Math.fround(value / scale)) + zeroPoint;
    out[index] = q < INT8_MIN ? INT8_MIN : q > INT8_MAX ? INT8_MAX : q;
  }
  return out;
}

/**
 * `x = scale · (q − zeroPoint)`, rounded to float32 (one float32 multiplication: every backend
 * gives the same bits). Writes into `out` (a new array by default).
 */
export function dequantizeValues(values: Int8Array, params: QuantParams, out: Float32Array = new Float32Array(values.length)): Float32Array {
  const { scale, zeroPoint } = checkQuantParams('dequantize', 'params', params);
  for (let index = 0; index < values.length; index++) out[index] = scale * (values[index]! - zeroPoint);
  return out;
}

/** Quantizes a host float tensor (see {@link quantizeValues}) into a {@link HostQuantizedTensor} of the same shape. */
export function quantize(x: HostTensor, params: QuantParams): HostQuantizedTensor {
  if (!(x instanceof HostTensor)) throw new ValueError('quantize', 'x', `x must be a host tensor, got ${describeValue(x)}`);
  assertFloat32Data('quantize', 'x', x.data, x.shape);
  return new HostQuantizedTensor(quantizeValues(x.data, params), x.shape, params);
}

/** Dequantizes a host int8 tensor (see {@link dequantizeValues}) into a float32 host tensor of the same shape. */
export function dequantize(q: HostQuantizedTensor): HostTensor {
  if (!(q instanceof HostQuantizedTensor)) throw new ValueError('dequantize', 'q', `q must be a HostQuantizedTensor, got ${describeValue(q)}`);
  return new HostTensor(dequantizeValues(q.data, q.quantization), q.shape);
}

/**
 * Quantizes a convolution's float bias to int32 with scale `inputScale · weightScales[c]` and
 * zero point 0, as TensorFlow Lite: `round(bias[c] / (inputScale · weightScales[c]))` in float32, ties
 * away from zero, saturated to the int32 range. A saturated bias is a wrong result (the int8
 * layer no longer adds what the float one did), which TensorFlow Lite's quantizer lets pass
 * silently: `onSaturated(channel, quotient)` hears of each one (`quotient`, the unrounded float32
 * value that did not fit), so a caller that knows the layer can refuse the model instead.
 * @param bias `[outChannels]`. @param weightScales `[outChannels]`, from `symmetricPerChannel`.
 * @throws ValueError naming `quantizeBias` when the lengths differ or a value is NaN.
 */
export function quantizeBias(
  bias: Float32Array,
  inputScale: number,
  weightScales: ArrayLike<number>,
  onSaturated?: (channel: number, quotient: number) => void,
): Int32Array {
  const op = 'quantizeBias';
  if (weightScales.length !== bias.length) {
    throw new ValueError(op, 'weightScales', `weightScales must have one scale per bias element (${bias.length}), got ${weightScales.length}`);
  }
  const out = new Int32Array(bias.length);
  for (let c = 0; c < bias.length; c++) {
    const value = bias[c]!;
    if (Number.isNaN(value)) throw new ValueError(op, 'bias', `bias must not hold NaN, got NaN at index ${c}`);
    // float32 arithmetic, as TensorFlow Lite's bias quantizer.
    const quotient = Math.fround(value / Math.fround(inputScale * weightScales[c]!));
    const q = roundHalfAwayFromZero(quotient);
    out[c] = Math.min(Math.max(q, INT32_MIN), INT32_MAX);
    if (out[c] !== q) onSaturated?.(c, quotient);
  }
  return out;
}
