import { describeValue, UnsupportedError, ValueError } from '@sepconv/tensor';

// The JSON form of a TensorFlow GraphDef node as tensorflowjs_converter writes it in a graph
// model's model.json, and its attributes. Nothing in the file is trusted: every accessor
// checks what it reads and names the node and attribute when it is wrong.

const OP = 'loadGraphModel';

/** A node of `modelTopology.node`, checked for its name, op and inputs. */
export interface GraphNode {
  readonly name: string;
  readonly op: string;
  /** Data inputs (`name` or `name:1`) and control inputs (`^name`), as in the file. */
  readonly input: readonly string[];
  readonly attr: Readonly<Record<string, unknown>>;
}

/** A data input of a node: which node, which of its outputs. */
export interface NodeRef {
  readonly node: string;
  readonly output: number;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The nodes of a parsed model.json, each checked. */
export function graphNodes(modelJson: unknown): GraphNode[] {
  if (!isRecord(modelJson) || !isRecord(modelJson.modelTopology) || !Array.isArray(modelJson.modelTopology.node)) {
    throw new ValueError(OP, 'modelJson', 'modelJson must be a graph model: { modelTopology: { node: [...] }, weightsManifest }');
  }
  return modelJson.modelTopology.node.map((raw: unknown, index: number) => {
    const at = `modelJson.modelTopology.node[${index}]`;
    if (!isRecord(raw) || typeof raw.name !== 'string' || raw.name.length === 0 || typeof raw.op !== 'string') {
      throw new ValueError(OP, at, `${at} must have a name and an op (strings), got ${describeValue(raw)}`);
    }
    const input = raw.input ?? [];
    if (!Array.isArray(input) || !input.every((i) => typeof i === 'string')) {
      throw new ValueError(OP, `${at}.input`, `${at}.input (node '${raw.name}') must be node names (strings), got ${describeValue(raw.input)}`);
    }
    return { name: raw.name, op: raw.op, input: input as string[], attr: isRecord(raw.attr) ? raw.attr : {} };
  });
}

/** The data inputs of a node (control inputs `^name` left out), `name:k` split into node and output. */
export function dataInputs(node: GraphNode): NodeRef[] {
  const refs: NodeRef[] = [];
  for (const input of node.input) {
    if (input.startsWith('^')) continue;
    const match = /^(.*):(\d+)$/.exec(input);
    refs.push(match ? { node: match[1]!, output: Number(match[2]) } : { node: input, output: 0 });
  }
  return refs;
}

/** A number from a JSON attribute: TensorFlow writes int64 values as strings (`"2"`); anything else is NaN, for the checks to refuse. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
}

/** Decodes a base64 attribute string (the JSON form of a TensorFlow `bytes` attribute) found at `node`'s `path`. */
export function decodeBase64(node: GraphNode, path: string, value: unknown): string {
  if (typeof value !== 'string')
    throw new ValueError(OP, node.name, `node '${node.name}': ${path} must be a base64 string, got ${describeValue(value)}`);
  try {
    return atob(value);
  } catch {
    throw new ValueError(OP, node.name, `node '${node.name}': ${path} must be base64, got ${describeValue(value)}`);
  }
}

function attrValue(node: GraphNode, key: string): Record<string, unknown> | undefined {
  const value = Object.hasOwn(node.attr, key) ? node.attr[key] : undefined;
  return isRecord(value) ? value : undefined;
}

/** An `ints` list attribute (`{ list: { i: ["1", "2"] } }`), or undefined when absent. */
export function attrInts(node: GraphNode, key: string): number[] | undefined {
  const list = attrValue(node, key)?.list;
  if (list === undefined) return undefined;
  const items = isRecord(list) ? (list.i ?? []) : undefined;
  if (!Array.isArray(items) || !items.every((v) => Number.isInteger(toNumber(v)))) {
    throw new ValueError(
      OP,
      node.name,
      `node '${node.name}': attr.${key}.list.i must be integers, got ${describeValue(isRecord(list) ? list.i : list)}`,
    );
  }
  return items.map(toNumber);
}

/** A string attribute (`{ s: base64 }`), or undefined when absent. */
export function attrString(node: GraphNode, key: string): string | undefined {
  const value = attrValue(node, key);
  return value?.s === undefined ? undefined : decodeBase64(node, `attr.${key}.s`, value.s);
}

/** A list-of-strings attribute (`{ list: { s: [base64, …] } }`); empty when absent. */
export function attrStrings(node: GraphNode, key: string): string[] {
  const list = attrValue(node, key)?.list;
  const items = isRecord(list) ? list.s : undefined;
  if (items === undefined) return [];
  if (!Array.isArray(items))
    throw new ValueError(OP, node.name, `node '${node.name}': attr.${key}.list.s must be a list, got ${describeValue(items)}`);
  return items.map((item, i) => decodeBase64(node, `attr.${key}.list.s[${i}]`, item));
}

/** A float or int attribute (`{ f: 0.001 }`, `{ i: "2" }`), or `fallback` when absent. */
export function attrNumber(node: GraphNode, key: string, fallback: number): number {
  const value = attrValue(node, key);
  const raw = value?.f ?? value?.i;
  if (raw === undefined) return fallback;
  const number = toNumber(raw);
  if (!Number.isFinite(number))
    throw new ValueError(OP, node.name, `node '${node.name}': attr.${key} must be a finite number, got ${describeValue(raw)}`);
  return number;
}

/** A bool attribute (`{ b: true }`), `false` when absent as in TensorFlow's op definitions. */
export function attrBool(node: GraphNode, key: string): boolean {
  const value = attrValue(node, key)?.b;
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    throw new ValueError(OP, node.name, `node '${node.name}': attr.${key}.b must be true or false, got ${describeValue(value)}`);
  return value;
}

/** The Placeholder's dimensions (`attr.shape.shape.dim[].size`), -1 where open; undefined for an unknown rank. */
export function placeholderDims(node: GraphNode): number[] | undefined {
  const shape = attrValue(node, 'shape')?.shape;
  if (!isRecord(shape) || shape.unknownRank === true) return undefined;
  const dim = shape.dim ?? [];
  if (!Array.isArray(dim)) throw new ValueError(OP, node.name, `node '${node.name}': attr.shape.shape.dim must be a list, got ${describeValue(dim)}`);
  return dim.map((d, i) => {
    const size = isRecord(d) ? toNumber(d.size ?? -1) : Number.NaN;
    if (!Number.isSafeInteger(size) || size < -1) {
      throw new ValueError(
        OP,
        node.name,
        `node '${node.name}': attr.shape.shape.dim[${i}].size must be an integer >= -1, got ${describeValue(isRecord(d) ? d.size : d)}`,
      );
    }
    return size;
  });
}

/** NHWC is the layout sepconv runs; a node with another `data_format` is refused. */
export function assertNhwc(node: GraphNode): void {
  const format = attrString(node, 'data_format');
  if (format !== undefined && format !== 'NHWC') {
    throw new UnsupportedError(OP, node.name, `data format ${describeValue(format)}; only NHWC runs`);
  }
}
