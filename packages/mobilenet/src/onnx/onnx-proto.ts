import { describeValue, ValueError } from '@sepconv/tensor';
import { onnx } from '../generated/onnx-proto.js';

/**
 * An int64 as the decoder gives it: a number (the decoder is generated with `--force-number`;
 * the Long form is accepted for safety).
 */
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

/**
 * Decodes an ONNX `ModelProto` from its bytes with the static decoder `pnpm generate` compiles
 * from `onnx.proto` (the ONNX fields the reader reads; others are skipped). protobufjs checks
 * every length against the buffer, so a truncated or corrupt file is an error here, never a
 * read past the end.
 * @throws ValueError naming `op` and `bytes` when the bytes are not a well-formed ModelProto.
 */
export function decodeOnnxModel(op: string, bytes: Uint8Array): OnnxModelProto {
  try {
    return onnx.ModelProto.decode(bytes) as unknown as OnnxModelProto;
  } catch (error) {
    const reason = error instanceof Error ? error.message : describeValue(error);
    throw new ValueError(
      op,
      'bytes',
      `the bytes are not a well-formed ONNX model (a truncated or corrupt protobuf, ${bytes.length} bytes): ${reason}`,
    );
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
