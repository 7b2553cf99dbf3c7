import { describeValue, DTypeError, formatShape, ShapeError, UnsupportedError, ValueError } from '@sepconv/tensor';
import { halfToFloat } from '../weights/dequantize.js';
import { int64, type OnnxTensorProto } from './onnx-proto.js';

/**
 * A constant of the graph (an initializer, a `Constant` node's value or an attribute tensor),
 * decoded once: floating-point data as float32, integer data as float64 (exact to 2^53, which
 * every shape, axis and padding value is).
 */
export interface OnnxConstant {
  /** ONNX's dimensions (row-major, NCHW / OIHW for image tensors); `[]` for a scalar. */
  readonly dims: readonly number[];
  readonly dataType: OnnxDataType;
  readonly values: Float32Array | Float64Array;
}

/** The `TensorProto.DataType`s the reader decodes, by ONNX's number. */
export type OnnxDataType = 'float' | 'double' | 'float16' | 'int32' | 'int64';

interface DataTypeRow {
  readonly name: OnnxDataType;
  /** Bytes per element in `raw_data` (little-endian). */
  readonly bytes: number;
  readonly readRaw: (view: DataView, offset: number) => number;
  /** The typed field that holds the data when there is no `raw_data`. */
  readonly field: 'floatData' | 'doubleData' | 'int32Data' | 'int64Data';
  readonly float: boolean;
}

/** `TensorProto.DataType` number → how its data is stored (ONNX stores float16 bits in `int32_data`). */
const DATA_TYPES: Readonly<Record<number, DataTypeRow>> = {
  1: { name: 'float', bytes: 4, readRaw: (v, o) => v.getFloat32(o, true), field: 'floatData', float: true },
  6: { name: 'int32', bytes: 4, readRaw: (v, o) => v.getInt32(o, true), field: 'int32Data', float: false },
  7: { name: 'int64', bytes: 8, readRaw: (v, o) => Number(v.getBigInt64(o, true)), field: 'int64Data', float: false },
  10: { name: 'float16', bytes: 2, readRaw: (v, o) => halfToFloat(v.getUint16(o, true)), field: 'int32Data', float: true },
  11: { name: 'double', bytes: 8, readRaw: (v, o) => v.getFloat64(o, true), field: 'doubleData', float: true },
};

/** ONNX's names of the data types, for messages. */
const DATA_TYPE_NAMES: readonly string[] = [
  'UNDEFINED',
  'FLOAT',
  'UINT8',
  'INT8',
  'UINT16',
  'INT16',
  'INT32',
  'INT64',
  'STRING',
  'BOOL',
  'FLOAT16',
  'DOUBLE',
  'UINT32',
  'UINT64',
  'COMPLEX64',
  'COMPLEX128',
  'BFLOAT16',
];

/** The name ONNX gives data type `code` (`FLOAT`, `INT64`, …). */
export function dataTypeName(code: number): string {
  return DATA_TYPE_NAMES[code] ?? `data type ${code}`;
}

/** The largest constant the reader allocates: 2^28 elements (1 GiB of float32), far above any MobileNet. */
const MAX_ELEMENTS = 2 ** 28;

/** ONNX's `data_location` value of a tensor whose bytes live in another file. */
const EXTERNAL = 1;

/**
 * Decodes a `TensorProto` from whichever field holds its data — `raw_data` (little-endian) or
 * the typed field (`float_data`, `int32_data`, `int64_data`, `double_data`); both are valid ONNX.
 * @param where how messages name the tensor (`initializer 'conv1.weight'`).
 * @throws UnsupportedError for external data or a data type the reader does not read;
 * ShapeError when the data does not hold `prod(dims)` elements; ValueError for bad dimensions.
 */
export function decodeConstant(op: string, argument: string, where: string, proto: OnnxTensorProto): OnnxConstant {
  if (proto.dataLocation === EXTERNAL || proto.externalData.length > 0) {
    const location = proto.externalData.find((entry) => entry.key === 'location')?.value;
    throw new UnsupportedError(
      op,
      argument,
      `${where} keeps its data in an external file${location ? ` ('${location}')` : ''} (data_location EXTERNAL): loadOnnxModel reads the one .onnx buffer and has no way to reach that file; save the model with its weights inside (torch.onnx.export(..., external_data=False), or onnx.save_model(model, path, save_as_external_data=False))`,
    );
  }
  if (proto.segment != null)
    throw new UnsupportedError(op, argument, `${where} is a segment of a larger tensor (TensorProto.segment), which the reader does not join`);
  const row = DATA_TYPES[proto.dataType];
  if (row === undefined) {
    throw new DTypeError(
      op,
      argument,
      `${where} has data type ${dataTypeName(proto.dataType)}; the reader reads FLOAT, FLOAT16, DOUBLE, INT32 and INT64`,
    );
  }
  const dims = proto.dims.map((d, i) => int64(op, argument, `${where}: dims[${i}]`, d));
  if (dims.some((d) => d < 0)) throw new ValueError(op, argument, `${where} has negative dimensions ${formatShape(dims)}`);
  const count = dims.reduce((a, b) => a * b, 1);
  if (count > MAX_ELEMENTS)
    throw new ShapeError(op, argument, `${where} has ${count} elements ${formatShape(dims)}, more than the reader allocates (${MAX_ELEMENTS})`);
  const values = row.float ? new Float32Array(count) : new Float64Array(count);
  const raw = proto.rawData;
  if (raw.length > 0) {
    if (raw.length !== count * row.bytes) {
      throw new ShapeError(
        op,
        argument,
        `${where}: raw_data holds ${raw.length} bytes, but ${formatShape(dims)} ${dataTypeName(proto.dataType)} needs ${count * row.bytes}`,
      );
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < count; i++) values[i] = row.readRaw(view, i * row.bytes);
  } else {
    const field: readonly unknown[] = proto[row.field];
    if (field.length !== count) {
      throw new ShapeError(op, argument, `${where}: ${row.field} holds ${field.length} values, but ${formatShape(dims)} needs ${count}`);
    }
    for (let i = 0; i < count; i++) values[i] = elementOf(row, field[i]);
  }
  return { dims, dataType: row.name, values };
}

function elementOf(row: DataTypeRow, value: unknown): number {
  if (typeof value === 'number') return row.name === 'float16' ? halfToFloat(value & 0xffff) : value;
  if (typeof value === 'object' && value !== null && 'toNumber' in value) return (value as { toNumber(): number }).toNumber();
  return Number.NaN;
}

/** Whether a constant holds floating-point data. */
export function isFloatConstant(constant: OnnxConstant): boolean {
  return constant.values instanceof Float32Array;
}

/** A constant's values as integers (shapes, axes, pads). @throws ValueError naming `where` for a non-integer or floating-point constant. */
export function integerValues(op: string, argument: string, where: string, constant: OnnxConstant): number[] {
  if (isFloatConstant(constant)) throw new DTypeError(op, argument, `${where} must be an integer tensor (INT64 or INT32), got ${constant.dataType}`);
  return Array.from(constant.values);
}

/** A scalar (one element, any rank) as a number. @throws ShapeError naming `where` otherwise. */
export function scalarValue(op: string, argument: string, where: string, constant: OnnxConstant): number {
  if (constant.values.length !== 1)
    throw new ShapeError(
      op,
      argument,
      `${where} must be a scalar, got shape ${formatShape(constant.dims)} (${describeValue(constant.values.length)} elements)`,
    );
  return constant.values[0]!;
}
