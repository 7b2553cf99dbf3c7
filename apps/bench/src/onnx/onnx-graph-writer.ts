import { fileURLToPath } from 'node:url';
import { HostTensor, type Conv2dGeometry } from '@sepconv/tensor';
import protobuf from 'protobufjs';

let schema: protobuf.Root | undefined;

/** The ONNX schema subset in `onnx.proto`, parsed once. */
export function onnxSchema(): protobuf.Root {
  schema ??= protobuf.loadSync(fileURLToPath(new URL('./onnx.proto', import.meta.url)));
  return schema;
}

const FLOAT = 1;
const INT64 = 7;
/** ONNX element types of the integer initializers a quantized graph holds. */
const INTEGER_TYPES = { uint8: { dataType: 2, bytes: 1 }, int8: { dataType: 3, bytes: 1 }, int32: { dataType: 6, bytes: 4 } } as const;
const ATTRIBUTE = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

/** An attribute value: an integer (INT), a list of integers (INTS), a string (STRING) or `{ float }` (FLOAT). */
export type OnnxAttributeValue = number | string | readonly number[] | { readonly float: number };

/** A graph input or output: a name and fixed dims. */
export interface OnnxPort {
  readonly name: string;
  readonly dims: readonly number[];
}

/** A resolved convolution as ONNX `Conv` attributes (depthwise as `group` = channels). */
export function onnxConvAttributes(g: Conv2dGeometry): Record<string, OnnxAttributeValue> {
  return {
    kernel_shape: [g.kernelHeight, g.kernelWidth],
    strides: [g.strideHeight, g.strideWidth],
    dilations: [g.dilationHeight, g.dilationWidth],
    // ONNX orders pads as [begin of each axis…, end of each axis…].
    pads: [g.padTop, g.padLeft, g.padBottom, g.padRight],
    group: g.kind === 'depthwiseConv2d' ? g.inChannels : 1,
  };
}

/** The IR version that goes with an opset (ONNX's versioning table). */
function irVersionOf(opset: number): number {
  return opset <= 10 ? 5 : opset <= 11 ? 6 : opset <= 14 ? 7 : opset <= 18 ? 8 : 9;
}

function attributeProto(name: string, value: OnnxAttributeValue) {
  if (typeof value === 'string') return { name, type: ATTRIBUTE.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') return { name, type: ATTRIBUTE.INT, i: value };
  if ('float' in value) return { name, type: ATTRIBUTE.FLOAT, f: value.float };
  return { name, type: ATTRIBUTE.INTS, ints: [...value] };
}

/** ONNX raw_data is little-endian; written through a DataView so a big-endian host writes it right too. */
function littleEndianBytes(data: Float32Array): Uint8Array {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
  return bytes;
}

/**
 * Builds an ONNX graph node by node (float32 initializers, fixed-size ports) and encodes it
 * with the bench's protobuf schema (`onnx.proto`). Node outputs get fresh names unless given,
 * so a writer reads like the module code it mirrors: `y = w.node('Relu', [x])`.
 */
export class OnnxGraphWriter {
  private readonly nodes: object[] = [];
  private readonly initializers: object[] = [];
  private readonly names = new Set<string>();
  private count = 0;

  /** `irVersion` defaults to the one ONNX released with the opset. */
  constructor(
    readonly opset: number,
    readonly irVersion: number = irVersionOf(opset),
  ) {}

  /** A float32 initializer (dims as ONNX holds them); returns its name. */
  initializer(name: string, tensor: HostTensor): string {
    if (this.names.has(name)) throw new Error(`OnnxGraphWriter: '${name}' is written twice`);
    this.names.add(name);
    this.initializers.push({ name, dims: [...tensor.shape], dataType: FLOAT, rawData: littleEndianBytes(tensor.data) });
    return name;
  }

  /** A scalar or 1-D float32 constant as an initializer, written once per name. */
  constant(name: string, values: readonly number[], dims: readonly number[] = values.length === 1 ? [] : [values.length]): string {
    return this.names.has(name) ? name : this.initializer(name, new HostTensor(Float32Array.from(values), dims));
  }

  /** A 1-D int64 initializer (shapes, pads); returns its name. */
  int64(name: string, values: readonly number[]): string {
    if (this.names.has(name)) throw new Error(`OnnxGraphWriter: '${name}' is written twice`);
    this.names.add(name);
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    this.initializers.push({ name, dims: [values.length], dataType: INT64, rawData: bytes });
    return name;
  }

  /**
   * A uint8, int8 or int32 initializer (quantized weights, zero points, int32 biases), little-endian
   * raw data; returns its name. `dims` `[]` is a scalar.
   */
  integers(name: string, type: keyof typeof INTEGER_TYPES, values: ArrayLike<number>, dims: readonly number[] = [values.length]): string {
    if (this.names.has(name)) throw new Error(`OnnxGraphWriter: '${name}' is written twice`);
    this.names.add(name);
    const { dataType, bytes } = INTEGER_TYPES[type];
    const raw = new Uint8Array(values.length * bytes);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < values.length; i++) {
      if (type === 'uint8') view.setUint8(i, values[i]!);
      else if (type === 'int8') view.setInt8(i, values[i]!);
      else view.setInt32(i * 4, values[i]!, true);
    }
    this.initializers.push({ name, dims: [...dims], dataType, rawData: raw });
    return name;
  }

  /** Appends a node; returns the name of its (first) output. */
  node(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, OnnxAttributeValue>> = {}, output?: string): string {
    const name = `${opType}_${this.count++}`;
    const out = output ?? name;
    this.nodes.push({
      opType,
      name,
      input: [...inputs],
      output: [out],
      attribute: Object.entries(attributes).map(([key, value]) => attributeProto(key, value)),
    });
    return out;
  }

  /** The serialised `ModelProto`. */
  encode(graphName: string, inputs: readonly OnnxPort[], outputs: readonly OnnxPort[]): Uint8Array {
    const valueInfo = (port: OnnxPort) => ({
      name: port.name,
      type: { tensorType: { elemType: FLOAT, shape: { dim: port.dims.map((d) => ({ dimValue: d })) } } },
    });
    const ModelProto = onnxSchema().lookupType('onnx.ModelProto');
    const model = {
      irVersion: this.irVersion,
      producerName: 'sepconv-bench',
      opsetImport: [{ domain: '', version: this.opset }],
      graph: { name: graphName, node: this.nodes, initializer: this.initializers, input: inputs.map(valueInfo), output: outputs.map(valueInfo) },
    };
    const problem = ModelProto.verify(model);
    if (problem) throw new Error(`OnnxGraphWriter: ${problem}`);
    return ModelProto.encode(ModelProto.fromObject(model)).finish();
  }
}
