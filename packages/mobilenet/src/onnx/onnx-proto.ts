import { describeValue, ValueError } from '@sepconv/tensor';
import protobuf from 'protobufjs/light.js';

/**
 * The part of ONNX's IR (`onnx/onnx.proto`, proto2) that the reader reads, as a protobufjs
 * JSON descriptor: field numbers and types as the ONNX specification gives them, names in
 * camelCase. Fields left out (docs, functions, training info) are skipped by the decoder, as
 * protobuf readers skip what they do not know. `sparseInitializer`, `externalData`,
 * `dataLocation`, `segment` and the attribute kinds the reader refuses are decoded so that the
 * refusal can say what it found.
 */
const ONNX_DESCRIPTOR = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            graph: { type: 'GraphProto', id: 7 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            sparseInitializer: { rule: 'repeated', type: 'SparseTensorProto', id: 15 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            domain: { type: 'string', id: 7 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            refAttrName: { type: 'string', id: 21 },
            type: { type: 'int32', id: 20 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: 'repeated', type: 'float', id: 7 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            strings: { rule: 'repeated', type: 'bytes', id: 9 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            segment: { type: 'Segment', id: 3 },
            floatData: { rule: 'repeated', type: 'float', id: 4, options: { packed: true } },
            int32Data: { rule: 'repeated', type: 'int32', id: 5, options: { packed: true } },
            stringData: { rule: 'repeated', type: 'bytes', id: 6 },
            int64Data: { rule: 'repeated', type: 'int64', id: 7, options: { packed: true } },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
            doubleData: { rule: 'repeated', type: 'double', id: 10, options: { packed: true } },
            uint64Data: { rule: 'repeated', type: 'uint64', id: 11, options: { packed: true } },
            externalData: { rule: 'repeated', type: 'StringStringEntryProto', id: 13 },
            dataLocation: { type: 'int32', id: 14 },
          },
          nested: { Segment: { fields: { begin: { type: 'int64', id: 1 }, end: { type: 'int64', id: 2 } } } },
        },
        SparseTensorProto: { fields: { values: { type: 'TensorProto', id: 1 } } },
        StringStringEntryProto: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TypeProto: {
          fields: { tensorType: { type: 'Tensor', id: 1 } },
          nested: { Tensor: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } } },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
          nested: { Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } } },
        },
      },
    },
  },
};

/** An int64 as protobufjs decodes it: a number, or a Long where long.js is present. */
export type Int64 = number | { readonly low: number; readonly high: number; readonly unsigned: boolean; toNumber(): number };

/** ONNX `TensorProto`, as decoded (absent fields read as their defaults). */
export interface OnnxTensorProto {
  readonly dims: readonly Int64[];
  readonly dataType: number;
  readonly segment?: unknown;
  readonly floatData: readonly number[];
  readonly int32Data: readonly number[];
  readonly stringData: readonly Uint8Array[];
  readonly int64Data: readonly Int64[];
  readonly name: string;
  readonly rawData: Uint8Array;
  readonly doubleData: readonly number[];
  readonly uint64Data: readonly Int64[];
  readonly externalData: readonly { readonly key: string; readonly value: string }[];
  readonly dataLocation: number;
}

/** ONNX `AttributeProto`; `type` says which value field holds the value (`AttributeType`). */
export interface OnnxAttributeProto {
  readonly name: string;
  readonly refAttrName: string;
  readonly type: number;
  readonly f: number;
  readonly i: Int64;
  readonly s: Uint8Array;
  readonly t?: OnnxTensorProto;
  readonly floats: readonly number[];
  readonly ints: readonly Int64[];
  readonly strings: readonly Uint8Array[];
}

/** ONNX `NodeProto`. */
export interface OnnxNodeProto {
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly attribute: readonly OnnxAttributeProto[];
}

/** One dimension of a declared shape: a size, a symbolic name (`dim_param`), or neither (unknown). */
export interface OnnxDimension {
  readonly dimValue?: Int64;
  readonly dimParam?: string;
}

/** ONNX `ValueInfoProto` of a tensor (the other `TypeProto` kinds are not decoded). */
export interface OnnxValueInfoProto {
  readonly name: string;
  readonly type?: { readonly tensorType?: { readonly elemType: number; readonly shape?: { readonly dim: readonly OnnxDimension[] } } };
}

/** ONNX `GraphProto`. */
export interface OnnxGraphProto {
  readonly node: readonly OnnxNodeProto[];
  readonly name: string;
  readonly initializer: readonly OnnxTensorProto[];
  readonly sparseInitializer: readonly unknown[];
  readonly input: readonly OnnxValueInfoProto[];
  readonly output: readonly OnnxValueInfoProto[];
}

/** ONNX `ModelProto`. */
export interface OnnxModelProto {
  readonly irVersion: Int64;
  readonly opsetImport: readonly { readonly domain: string; readonly version: Int64 }[];
  readonly producerName: string;
  readonly producerVersion: string;
  readonly graph?: OnnxGraphProto;
}

let modelType: protobuf.Type | undefined;

/**
 * Decodes an ONNX `ModelProto` from its bytes. protobufjs checks every length against the
 * buffer, so a truncated or corrupt file is an error here, never a read past the end.
 * @throws ValueError naming `op` and `bytes` when the bytes are not a well-formed ModelProto.
 */
export function decodeOnnxModel(op: string, bytes: Uint8Array): OnnxModelProto {
  modelType ??= protobuf.Root.fromJSON(ONNX_DESCRIPTOR).lookupType('onnx.ModelProto');
  try {
    return modelType.decode(bytes) as unknown as OnnxModelProto;
  } catch (error) {
    const reason = error instanceof Error ? error.message : describeValue(error);
    throw new ValueError(op, 'bytes', `the bytes are not a well-formed ONNX model (a truncated or corrupt protobuf, ${bytes.length} bytes): ${reason}`);
  }
}

/**
 * An int64 field as a JavaScript number.
 * @throws ValueError naming `op` and `where` when it is outside ±2^53 (no ONNX dimension or attribute a reader runs is).
 */
export function int64(op: string, argument: string, where: string, value: Int64): number {
  const number = typeof value === 'number' ? value : value.toNumber();
  if (!Number.isSafeInteger(number)) {
    throw new ValueError(op, argument, `${where}: ${describeValue(number)} is not an integer within ±2^53`);
  }
  return number;
}
