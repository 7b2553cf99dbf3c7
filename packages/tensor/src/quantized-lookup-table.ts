import { activate, checkActivation } from './activation.js';
import { brandClass, hasBrand } from './brand.js';
import { describeValue } from './describe-value.js';
import { DTypeError, ShapeError, ValueError } from './errors.js';
import type { Activation } from './options.js';
import { checkQuantParams, INT8_MIN, type QuantParams } from './quant-params.js';
import { quantizeValues } from './quantize.js';

/** Entries of an int8 lookup table: one per int8 value, `-128 … 127`. */
export const LOOKUP_TABLE_SIZE = 256;

/** What {@link QuantizedLookupTable} is built from. */
export interface QuantizedLookupTableSpec {
  /** `[256]`: entry `q + 128` is the int8 result for the int8 input `q`. Kept, not copied. */
  readonly values: Int8Array;
  /** The quantization every input must have (the table was computed for it). */
  readonly input: QuantParams;
  /** The quantization of the result. */
  readonly output: QuantParams;
}

/**
 * An element-wise int8 → int8 function as a 256-entry table (TensorFlow Lite's int8 `LUT` for
 * hard-swish, sigmoid, …): any unary function of an int8 tensor has at most 256 results, so it
 * is computed once on the host, and every backend's `quantizedLookup` only indexes — the same
 * bits everywhere, whatever float math the function needs. The table is bound to the input's
 * and output's quantization; `quantizedLookup` refuses an input quantized otherwise.
 *
 * Branded (`Symbol.for('sepconv.QuantizedLookupTable')`): backends may cache a device copy
 * keyed on the object (a `WeakMap`), so treat `values` as immutable once built.
 */
export class QuantizedLookupTable {
  static [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(this, value);
  }

  readonly values: Int8Array;
  readonly input: QuantParams;
  readonly output: QuantParams;

  /**
   * @throws DTypeError naming `values` when it is not an Int8Array; ShapeError when it does not
   * hold 256 entries; ValueError for bad quantization parameters.
   */
  constructor(spec: QuantizedLookupTableSpec, op = 'QuantizedLookupTable') {
    if (typeof spec !== 'object' || spec === null) throw new ValueError(op, 'table', `table must be an object, got ${describeValue(spec)}`);
    const { values } = spec;
    if (!ArrayBuffer.isView(values) || Object.prototype.toString.call(values) !== '[object Int8Array]') {
      throw new DTypeError(op, 'table.values', `table.values must be an Int8Array, got ${describeValue(values)}`);
    }
    if (values.length !== LOOKUP_TABLE_SIZE) {
      throw new ShapeError(op, 'table.values', `table.values must hold ${LOOKUP_TABLE_SIZE} entries (one per int8 value), got ${values.length}`);
    }
    this.values = values as Int8Array;
    this.input = checkQuantParams(op, 'table.input', spec.input);
    this.output = checkQuantParams(op, 'table.output', spec.output);
    Object.freeze(this);
  }
}
brandClass(QuantizedLookupTable, 'QuantizedLookupTable');

/**
 * The table of `fn` between int8 tensors quantized with `input` and `output`: for each int8
 * `q`, `fn(scale · (q − zeroPoint))` (the input dequantized as `dequantize` does, one float32
 * product; `fn` in float64), rounded once to float32 and quantized as `quantize` does (float32
 * division, ties away from zero, saturated).
 * @throws ValueError naming `fn` when it is not a function or gives NaN.
 */
export function int8LookupTable(fn: (x: number) => number, input: QuantParams, output: QuantParams, op = 'int8LookupTable'): QuantizedLookupTable {
  if (typeof fn !== 'function') throw new ValueError(op, 'fn', `fn must be a function, got ${describeValue(fn)}`);
  const inParams = checkQuantParams(op, 'input', input);
  const outParams = checkQuantParams(op, 'output', output);
  const results = new Float32Array(LOOKUP_TABLE_SIZE);
  for (let i = 0; i < LOOKUP_TABLE_SIZE; i++) {
    const real = Math.fround(inParams.scale * (i + INT8_MIN - inParams.zeroPoint));
    const y = fn(real);
    if (Number.isNaN(y)) throw new ValueError(op, 'fn', `fn(${real}) is NaN, which has no int8 value`);
    results[i] = y;
  }
  return new QuantizedLookupTable({ values: quantizeValues(results, outParams), input: inParams, output: outParams }, op);
}

/**
 * The table of an element-wise activation (`hardSwish`, `hardSigmoid`, `sigmoid`, `relu`, …: the
 * float `activation` op's definitions) from `input` to `output` quantization.
 * @throws ValueError naming `activation` for an unknown name.
 */
export function activationLookupTable(activation: Activation, input: QuantParams, output: QuantParams): QuantizedLookupTable {
  const op = 'activationLookupTable';
  const resolved = checkActivation(op, 'activation', activation);
  return int8LookupTable((x) => activate(x, resolved), input, output, op);
}
