// Writes ONNX models in code, for the reader's tests: an independent protobufjs schema of the
// ONNX IR fields the tests write (field numbers from onnx/onnx.proto, not shared with the
// reader, so a wrong number on either side shows), a graph builder, and seeded random weights.
// onnxruntime-web reads the same bytes, which checks the writer against ONNX itself.
import { Random } from '@sepconv/tensor';
import protobuf from 'protobufjs';

const PROTO = `
syntax = "proto2";
package onnx;
message AttributeProto {
  optional string name = 1; optional int32 type = 20; optional float f = 2; optional int64 i = 3;
  optional bytes s = 4; optional TensorProto t = 5; repeated float floats = 7; repeated int64 ints = 8;
}
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; }
message NodeProto {
  repeated string input = 1; repeated string output = 2; optional string name = 3;
  optional string op_type = 4; optional string domain = 7; repeated AttributeProto attribute = 5;
}
message StringStringEntryProto { optional string key = 1; optional string value = 2; }
message TensorProto {
  repeated int64 dims = 1; optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true]; repeated int32 int32_data = 5 [packed = true];
  repeated int64 int64_data = 7 [packed = true]; optional string name = 8; optional bytes raw_data = 9;
  repeated double double_data = 10 [packed = true];
  repeated StringStringEntryProto external_data = 13; optional int32 data_location = 14;
}
message TensorShapeProto {
  message Dimension { optional int64 dim_value = 1; optional string dim_param = 2; }
  repeated Dimension dim = 1;
}
message TypeProto { message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; } optional Tensor tensor_type = 1; }
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
message GraphProto {
  repeated NodeProto node = 1; optional string name = 2; repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12;
}
message ModelProto {
  optional int64 ir_version = 1; repeated OperatorSetIdProto opset_import = 8;
  optional string producer_name = 2; optional GraphProto graph = 7;
}
`;

const root = protobuf.parse(PROTO).root;
const ModelProto = root.lookupType('onnx.ModelProto');

/** TensorProto.DataType numbers. */
export const DATA_TYPE = { FLOAT: 1, INT32: 6, INT64: 7, FLOAT16: 10, DOUBLE: 11, STRING: 8 } as const;

/** An attribute value: a number (INT if an integer unless `float` says so), a list, a string, or a tensor. */
export type AttributeValue = number | readonly number[] | string | { float: number } | { floats: readonly number[] } | { tensor: TensorSpec };

/** A tensor as the writer stores it: `encoding` picks raw_data or the typed field. */
export interface TensorSpec {
  readonly dims: readonly number[];
  readonly dataType?: number;
  readonly values: ArrayLike<number>;
  readonly encoding?: 'raw' | 'typed';
  /** Extra TensorProto fields, for malformed files. */
  readonly extra?: Record<string, unknown>;
}

/** The ONNX IR version that goes with an opset (ONNX's versioning table). */
function irVersion(opset: number): number {
  return opset <= 10 ? 5 : opset <= 11 ? 6 : opset <= 14 ? 7 : opset <= 18 ? 8 : 9;
}

function tensorProto(name: string, t: TensorSpec): Record<string, unknown> {
  const dataType = t.dataType ?? DATA_TYPE.FLOAT;
  const proto: Record<string, unknown> = { name, dims: [...t.dims], dataType, ...t.extra };
  if (t.encoding === 'typed') {
    const field = { 1: 'floatData', 6: 'int32Data', 7: 'int64Data', 11: 'doubleData' }[dataType as 1 | 6 | 7 | 11];
    proto[field] = Array.from(t.values);
  } else {
    const n = t.values.length;
    const bytes = { 1: 4, 6: 4, 7: 8, 10: 2, 11: 8 }[dataType as 1 | 6 | 7 | 10 | 11];
    const view = new DataView(new ArrayBuffer(n * bytes));
    for (let i = 0; i < n; i++) {
      const v = t.values[i]!;
      if (dataType === DATA_TYPE.FLOAT) view.setFloat32(i * bytes, v, true);
      else if (dataType === DATA_TYPE.INT32) view.setInt32(i * bytes, v, true);
      else if (dataType === DATA_TYPE.INT64) view.setBigInt64(i * bytes, BigInt(v), true);
      else if (dataType === DATA_TYPE.DOUBLE) view.setFloat64(i * bytes, v, true);
      else view.setUint16(i * bytes, v, true);
    }
    proto.rawData = new Uint8Array(view.buffer);
  }
  return proto;
}

function attributeProto(name: string, value: AttributeValue): Record<string, unknown> {
  if (typeof value === 'number') return Number.isInteger(value) ? { name, type: 2, i: value } : { name, type: 1, f: value };
  if (typeof value === 'string') return { name, type: 3, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: 7, ints: value };
  if ('float' in value) return { name, type: 1, f: value.float };
  if ('floats' in value) return { name, type: 6, floats: value.floats };
  return { name, type: 4, t: tensorProto('', (value as { tensor: TensorSpec }).tensor) };
}

/** One graph input or output: dims, a string for a symbolic dimension (`dim_param`). */
export type Dims = readonly (number | string)[];

function valueInfo(name: string, dims: Dims | undefined): Record<string, unknown> {
  const shape = dims === undefined ? undefined : { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) };
  return { name, type: { tensorType: { elemType: DATA_TYPE.FLOAT, ...(shape ? { shape } : {}) } } };
}

/** Builds one ONNX graph, node by node, and serialises it. */
export class OnnxWriter {
  private readonly nodes: Record<string, unknown>[] = [];
  private readonly initializers: Record<string, unknown>[] = [];
  private readonly inputs: Record<string, unknown>[] = [];
  private readonly rng: Random;
  private count = 0;

  constructor(
    readonly opset: number,
    seed = 1,
    /** How float initializers are stored: always raw, always typed, or alternating (both forms in one file). */
    private readonly encoding: 'raw' | 'typed' | 'mixed' = 'mixed',
  ) {
    this.rng = new Random(seed);
  }

  input(name: string, dims: Dims): string {
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  /** A named initializer; floats stored per the writer's encoding. */
  initializer(name: string, t: TensorSpec): string {
    const encoding = t.encoding ?? (this.encoding === 'mixed' ? (this.initializers.length % 2 === 0 ? 'raw' : 'typed') : this.encoding);
    this.initializers.push(tensorProto(name, { ...t, encoding }));
    return name;
  }

  /** A float initializer of seeded uniform values in [low, high]. */
  random(name: string, dims: readonly number[], low = -0.5, high = 0.5): string {
    const n = dims.reduce((a, b) => a * b, 1);
    return this.initializer(name, { dims, values: Float32Array.from({ length: n }, () => this.rng.uniform(low, high)) });
  }

  ints(name: string, values: readonly number[]): string {
    return this.initializer(name, { dims: [values.length], dataType: DATA_TYPE.INT64, values });
  }

  floats(name: string, dims: readonly number[], values: readonly number[]): string {
    return this.initializer(name, { dims, values });
  }

  /** Adds a node; returns its first output's name. */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, AttributeValue> = {},
    options: { outputs?: readonly string[]; name?: string; domain?: string } = {},
  ): string {
    const index = this.count++;
    const name = options.name ?? `/${opType}_${index}`;
    const outputs = options.outputs ?? [`${name}_output_0`];
    this.nodes.push({
      name,
      opType,
      input: [...inputs],
      output: [...outputs],
      ...(options.domain ? { domain: options.domain } : {}),
      attribute: Object.entries(attributes).map(([key, value]) => attributeProto(key, value)),
    });
    return outputs[0]!;
  }

  /** The serialised ModelProto; `outputs` with optional dims. */
  bytes(outputs: readonly string[] | Record<string, Dims | undefined>, name = 'test_graph'): Uint8Array {
    const entries = Array.isArray(outputs) ? (outputs as string[]).map((o) => [o, undefined] as const) : Object.entries(outputs);
    const model = {
      irVersion: irVersion(this.opset),
      producerName: 'sepconv-test',
      opsetImport: [{ domain: '', version: this.opset }],
      graph: { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: entries.map(([o, dims]) => valueInfo(o, dims)) },
    };
    return ModelProto.encode(ModelProto.fromObject(model)).finish();
  }
}
