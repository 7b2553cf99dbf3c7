import { describeValue } from './describe-value.js';
import { ValueError } from './errors.js';

/** The int8 range of activations (asymmetric, per tensor). */
export const INT8_MIN = -128;
/** The top of the int8 range. */
export const INT8_MAX = 127;
/** Weights are symmetric: `[-127, 127]`, so that `-w` is representable for every `w` (TensorFlow Lite's rule). */
export const INT8_WEIGHT_MAX = 127;
/** The int32 range of biases and accumulators. */
export const INT32_MIN = -(2 ** 31);
/** The top of the int32 range. */
export const INT32_MAX = 2 ** 31 - 1;

/**
 * Per-tensor affine int8 quantization: `real = scale · (q − zeroPoint)`, `q ∈ [-128, 127]`.
 * `scale` is a positive float32 value (TensorFlow Lite stores scales as float32; keeping them
 * float32 here means a saved and reloaded model requantizes to the same integers).
 */
export interface QuantParams {
  readonly scale: number;
  /** An integer in `[-128, 127]`; the int8 value that stands for real 0 exactly. */
  readonly zeroPoint: number;
}

/** Rounds to nearest, ties away from zero: C's `round`, TensorFlow Lite's `TfLiteRound`. */
export function roundHalfAwayFromZero(value: number): number {
  return value < 0 ? -Math.round(-value) : Math.round(value);
}

/**
 * Checks per-tensor parameters: `scale` a positive finite number, `zeroPoint` an integer in
 * `[-128, 127]`. Returns them with the scale rounded to float32, as TensorFlow Lite stores it:
 * every backend then divides and multiplies by the same float32 scale (a GPU has no other), so
 * `quantize` and `dequantize` give the same bits everywhere.
 * @throws ValueError naming `op` and `argument`, also for a scale that rounds to float32 0 or Infinity.
 */
export function checkQuantParams(op: string, argument: string, params: unknown): QuantParams {
  const candidate = params as Partial<QuantParams> | null;
  if (typeof candidate !== 'object' || candidate === null) {
    throw new ValueError(op, argument, `${argument} must be { scale, zeroPoint }, got ${describeValue(params)}`);
  }
  const { scale, zeroPoint } = candidate;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
    throw new ValueError(op, argument, `${argument}.scale must be a finite number > 0, got ${describeValue(scale)}`);
  }
  if (typeof zeroPoint !== 'number' || !Number.isInteger(zeroPoint) || zeroPoint < INT8_MIN || zeroPoint > INT8_MAX) {
    throw new ValueError(op, argument, `${argument}.zeroPoint must be an integer in [-128, 127], got ${describeValue(zeroPoint)}`);
  }
  const stored = Math.fround(scale);
  if (stored === 0 || stored === Infinity) {
    throw new ValueError(
      op,
      argument,
      `${argument}.scale must be representable as a float32 > 0 (about 1.4e-45 to 3.4e38), got ${describeValue(scale)}`,
    );
  }
  return { scale: stored, zeroPoint };
}

/**
 * Asymmetric int8 parameters for values observed in `[min, max]`, as TensorFlow Lite's
 * `ChooseQuantizationParams`: the range is first widened to contain 0, `scale = (max − min) / 255`,
 * and the zero point (from whichever end gives the smaller error) is rounded and clamped to
 * `[-128, 127]` — "nudged" — so that real 0 is exactly representable (zero padding and ReLU's
 * floor are then exact). The returned scale is rounded to float32.
 * One deviation: for the range `[0, 0]` TensorFlow Lite returns scale 0, which no multiplier
 * can divide by; this returns `{ scale: 1, zeroPoint: 0 }` (every value quantizes to 0 either way).
 * @throws ValueError naming `chooseQuantParams` and `min` / `max` for a non-finite bound or
 * `min > max`, and `max` for a range too small for a float32 scale.
 */
export function chooseQuantParams(min: number, max: number): QuantParams {
  const op = 'chooseQuantParams';
  for (const [argument, value] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ValueError(op, argument, `${argument} must be a finite number, got ${describeValue(value)}`);
    }
  }
  if (min > max) throw new ValueError(op, 'max', `max must be >= min (${min}), got ${max}`);
  const low = Math.min(min, 0);
  const high = Math.max(max, 0);
  if (low === high) return { scale: 1, zeroPoint: 0 };
  const scale = (high - low) / (INT8_MAX - INT8_MIN);
  const stored = Math.fround(scale);
  if (stored === 0) throw new ValueError(op, 'max', `[min, max] = [${min}, ${max}] is too narrow for a float32 scale`);
  const fromMin = INT8_MIN - low / scale;
  const fromMax = INT8_MAX - high / scale;
  const fromMinError = Math.abs(INT8_MIN) + Math.abs(low / scale);
  const fromMaxError = Math.abs(INT8_MAX) + Math.abs(high / scale);
  const zeroPoint = fromMinError < fromMaxError ? fromMin : fromMax;
  const nudged = zeroPoint < INT8_MIN ? INT8_MIN : zeroPoint > INT8_MAX ? INT8_MAX : roundHalfAwayFromZero(zeroPoint);
  return { scale: stored, zeroPoint: nudged };
}
