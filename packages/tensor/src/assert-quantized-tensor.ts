import { describeValue } from './describe-value.js';
import { DTypeError, formatShape, ShapeError, ValueError } from './errors.js';
import { checkQuantParams, type QuantParams } from './quant-params.js';
import { isHostQuantizedTensor, type QuantizedTensor } from './quantized-tensor.js';
import { assertValidShape, sizeOf } from './shape.js';

/**
 * Checks that `t` is a live int8 {@link QuantizedTensor} with a valid shape and quantization and,
 * for a host one, data of exactly the elements its shape says (kernels index by shape); the int8
 * counterpart of `assertTensor`. Errors name `op` and `argument`.
 * @throws ValueError for a non-tensor, a disposed tensor or bad quantization parameters;
 * DTypeError for a float tensor (quantize it first); ShapeError for a malformed shape or data length.
 */
export function assertQuantizedTensor(op: string, argument: string, t: unknown): asserts t is QuantizedTensor {
  const candidate = t as Partial<QuantizedTensor> | null | undefined;
  if (candidate === null || typeof candidate !== 'object' || !Array.isArray(candidate.shape)) {
    throw new ValueError(op, argument, `${argument} must be a QuantizedTensor, got ${describeValue(t)}`);
  }
  if (candidate.dtype !== 'int8') {
    const hint = candidate.dtype === 'float32' ? ' (quantize it first)' : '';
    throw new DTypeError(op, argument, `${argument} must be int8${hint}, got ${describeValue(candidate.dtype)}`);
  }
  if (candidate.isDisposed) throw new ValueError(op, argument, `${argument} has been disposed`);
  assertValidShape(op, argument, candidate.shape);
  checkQuantParams(op, `${argument}.quantization`, candidate.quantization);
  if (isHostQuantizedTensor(candidate)) {
    const { data } = candidate;
    if (!ArrayBuffer.isView(data) || Object.prototype.toString.call(data) !== '[object Int8Array]') {
      throw new DTypeError(op, argument, `${argument} data must be an Int8Array, got ${describeValue(data)}`);
    }
    if (data.length !== sizeOf(candidate.shape)) {
      const expected = sizeOf(candidate.shape);
      throw new ShapeError(
        op,
        argument,
        `${argument} data length ${data.length} does not match shape ${formatShape(candidate.shape)} (${expected} elements)`,
      );
    }
  }
}

/** True when two parameter sets are the same (scale compared as stored, exactly). */
export function sameQuantParams(a: QuantParams, b: QuantParams): boolean {
  return a.scale === b.scale && a.zeroPoint === b.zeroPoint;
}

/**
 * Checks that `actual` (the quantization of `argument`) equals `expected`: an int8 kernel's
 * integer parameters were computed for `expected`, so other parameters would give a silently
 * wrong result. @throws ValueError naming `op` and `argument`, saying what `expected` is (`what`).
 */
export function assertQuantParamsEqual(op: string, argument: string, actual: QuantParams, expected: QuantParams, what: string): void {
  if (sameQuantParams(actual, expected)) return;
  throw new ValueError(
    op,
    argument,
    `${argument}.quantization must equal ${what} { scale: ${expected.scale}, zeroPoint: ${expected.zeroPoint} }, got { scale: ${actual.scale}, zeroPoint: ${actual.zeroPoint} } (requantize it first)`,
  );
}
