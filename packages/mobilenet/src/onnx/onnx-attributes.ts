import { describeValue, ValueError } from '@sepconv/tensor';
import { decodeConstant, type OnnxConstant } from './onnx-constant.js';
import { int64, type OnnxAttributeProto, type OnnxNodeProto } from './onnx-proto.js';

/** `AttributeProto.AttributeType` numbers. */
const FLOAT = 1;
const INT = 2;
const STRING = 3;
const TENSOR = 4;
const FLOATS = 6;
const INTS = 7;

const TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'FLOAT',
  2: 'INT',
  3: 'STRING',
  4: 'TENSOR',
  5: 'GRAPH',
  6: 'FLOATS',
  7: 'INTS',
  8: 'STRINGS',
};

/**
 * A node's attributes, read with ONNX's defaults: each getter takes the default the operator's
 * schema gives, and checks the attribute's declared type (an `UNDEFINED` type, written by
 * some old exporters, is read as the type asked for).
 */
export class OnnxAttributes {
  private readonly byName = new Map<string, OnnxAttributeProto>();

  constructor(
    private readonly op: string,
    private readonly node: OnnxNodeProto,
    private readonly label: string,
  ) {
    for (const attribute of node.attribute) this.byName.set(attribute.name, attribute);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  int(name: string, fallback: number): number;
  int(name: string): number | undefined;
  int(name: string, fallback?: number): number | undefined {
    const a = this.get(name, INT);
    return a === undefined ? fallback : int64(this.op, this.node.name, `${this.label}: attribute ${name}`, a.i);
  }

  ints(name: string): number[] | undefined {
    const a = this.get(name, INTS);
    return a?.ints.map((v, i) => int64(this.op, this.node.name, `${this.label}: attribute ${name}[${i}]`, v));
  }

  float(name: string, fallback: number): number;
  float(name: string): number | undefined;
  float(name: string, fallback?: number): number | undefined {
    return this.get(name, FLOAT)?.f ?? fallback;
  }

  floats(name: string): number[] | undefined {
    const a = this.get(name, FLOATS);
    return a === undefined ? undefined : [...a.floats];
  }

  string(name: string, fallback: string): string {
    const a = this.get(name, STRING);
    return a === undefined ? fallback : new TextDecoder().decode(a.s);
  }

  tensor(name: string): OnnxConstant | undefined {
    const a = this.get(name, TENSOR);
    if (a === undefined) return undefined;
    if (a.t == null) throw new ValueError(this.op, this.node.name, `${this.label}: attribute ${name} is a TENSOR without a tensor`);
    return decodeConstant(this.op, this.node.name, `${this.label}: attribute ${name}`, a.t);
  }

  private get(name: string, type: number): OnnxAttributeProto | undefined {
    const a = this.byName.get(name);
    if (a === undefined) return undefined;
    if (a.type !== type && a.type !== 0) {
      throw new ValueError(
        this.op,
        this.node.name,
        `${this.label}: attribute ${name} must be ${TYPE_NAMES[type]}, got ${TYPE_NAMES[a.type] ?? describeValue(a.type)}`,
      );
    }
    return a;
  }
}
