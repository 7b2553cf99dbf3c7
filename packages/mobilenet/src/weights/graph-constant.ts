import { assertValidShape, describeValue, HostTensor, UnsupportedError, ValueError } from '@sepconv/tensor';
import { decodeBase64, isRecord, toNumber, type GraphNode } from './graph-node.js';
import type { WeightMap } from './weight-map.js';

const OP = 'loadGraphModel';

/** The element types a constant may have, and how `tensorContent` packs each (little-endian). */
const CONTENT_READERS: ReadonlyMap<string, (view: DataView, i: number) => number> = new Map([
  ['DT_FLOAT', (view: DataView, i: number) => view.getFloat32(4 * i, true)],
  ['DT_INT32', (view: DataView, i: number) => view.getInt32(4 * i, true)],
]);

/** The `*Val` list that holds a constant's values for each element type. */
const VALUE_LISTS: ReadonlyMap<string, string> = new Map([
  ['DT_FLOAT', 'floatVal'],
  ['DT_INT32', 'intVal'],
  ['DT_INT64', 'int64Val'],
]);

/**
 * The value of a `Const` node: from the weights manifest (where tensorflowjs_converter puts
 * every constant), else from the node's own `attr.value.tensor` in either of TensorFlow's
 * encodings: `tensorContent` (base64 bytes) or a value list (`floatVal`, `intVal`,
 * `int64Val`), where one value fills the whole shape as TensorFlow reads it.
 * @returns undefined when the node holds no value in either place.
 */
export function constantValue(node: GraphNode, stored: WeightMap): HostTensor | undefined {
  const fromManifest = stored.get(node.name);
  if (fromManifest !== undefined) return fromManifest;
  const tensor = isRecord(node.attr.value) ? node.attr.value.tensor : undefined;
  if (!isRecord(tensor)) return undefined;
  const where = `node '${node.name}': attr.value.tensor`;
  const dtype = tensor.dtype;
  const dims = isRecord(tensor.tensorShape) ? (tensor.tensorShape.dim ?? []) : [];
  const shape = Array.isArray(dims) ? dims.map((d) => (isRecord(d) ? toNumber(d.size) : Number.NaN)) : [Number.NaN];
  assertValidShape(OP, node.name, shape, `${where}.tensorShape`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (typeof tensor.tensorContent === 'string') {
    const read = typeof dtype === 'string' ? CONTENT_READERS.get(dtype) : undefined;
    if (read === undefined)
      throw new UnsupportedError(OP, node.name, `${where}.dtype ${describeValue(dtype)}: constants in tensorContent must be DT_FLOAT or DT_INT32`);
    const bytes = Uint8Array.from(decodeBase64(node, 'attr.value.tensor.tensorContent', tensor.tensorContent), (c) => c.charCodeAt(0));
    if (bytes.length !== 4 * size)
      throw new ValueError(OP, node.name, `${where}.tensorContent holds ${bytes.length} bytes, but shape [${shape.join(', ')}] needs ${4 * size}`);
    const view = new DataView(bytes.buffer);
    return new HostTensor(
      Float32Array.from({ length: size }, (_, i) => read(view, i)),
      shape,
    );
  }
  const key = typeof dtype === 'string' ? VALUE_LISTS.get(dtype) : undefined;
  const list = key === undefined ? undefined : tensor[key];
  if (!Array.isArray(list)) return undefined;
  const values = list.map(toNumber);
  if (!values.every(Number.isFinite) || (values.length !== size && values.length !== 1)) {
    throw new ValueError(OP, node.name, `${where}.${key} must be ${size} finite numbers (or one for all), got ${describeValue(list)}`);
  }
  return new HostTensor(
    Float32Array.from({ length: size }, (_, i) => values[values.length === 1 ? 0 : i]!),
    shape,
  );
}
