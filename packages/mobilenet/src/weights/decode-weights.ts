import { assertValidShape, describeValue, formatShape, HostTensor, ShapeError, UnsupportedError, ValueError } from '@sepconv/tensor';
import { dequantize, QUANTIZED_BYTES, type Quantization } from './dequantize.js';
import { weightBytes, type WeightData } from './weight-bytes.js';
import type { WeightMap } from './weight-map.js';

/** One entry of a TensorFlow.js weights manifest. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** The tensor's dtype after dequantisation; sepconv keeps `'float32'` and `'int32'` (as float32). */
  readonly dtype: string;
  readonly quantization?: Quantization;
}

/** A group of a TensorFlow.js weights manifest: shard files and the weights packed in them, in order. */
export interface WeightsGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightSpec[];
}

/** Bytes per element of each unquantised dtype sepconv decodes (a Map: no `'toString'` from a prototype). */
const PLAIN_BYTES: ReadonlyMap<string, number> = new Map([
  ['float32', 4],
  ['int32', 4],
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const quoted = (names: Iterable<string>): string => [...names].map((n) => `'${n}'`).join(', ');

/** One manifest entry checked; `at` is its path in the file (`weightsManifest[0].weights[3]`). */
function checkEntry(op: string, entry: unknown, at: string): WeightSpec {
  if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name.length === 0) {
    throw new ValueError(op, `${at}.name`, `${at} must have a non-empty name, got ${describeValue(entry)}`);
  }
  const label = (key: string) => `${at}.${key} (weight '${entry.name}')`;
  assertValidShape(op, `${at}.shape`, entry.shape as number[], label('shape'));
  const shape = entry.shape as number[];
  if (typeof entry.dtype !== 'string' || !PLAIN_BYTES.has(entry.dtype)) {
    throw new UnsupportedError(
      op,
      `${at}.dtype`,
      `${label('dtype')} must be one of ${quoted(PLAIN_BYTES.keys())}, got ${describeValue(entry.dtype)}`,
    );
  }
  const q = entry.quantization;
  if (q === undefined) return { name: entry.name, shape: [...shape], dtype: entry.dtype };
  if (!isRecord(q)) {
    throw new ValueError(
      op,
      `${at}.quantization`,
      `${label('quantization')} must be { dtype: 'uint8' | 'uint16' | 'float16', min?, scale? }, got ${describeValue(q)}`,
    );
  }
  if (typeof q.dtype !== 'string' || !Object.hasOwn(QUANTIZED_BYTES, q.dtype)) {
    throw new UnsupportedError(
      op,
      `${at}.quantization.dtype`,
      `${label('quantization.dtype')} must be one of ${quoted(Object.keys(QUANTIZED_BYTES))}, got ${describeValue(q.dtype)}`,
    );
  }
  if (q.dtype !== 'float16') {
    for (const key of ['min', 'scale'] as const) {
      if (typeof q[key] !== 'number' || !Number.isFinite(q[key])) {
        throw new ValueError(
          op,
          `${at}.quantization.${key}`,
          `${label(`quantization.${key}`)} must be a finite number for ${q.dtype} quantization, got ${describeValue(q[key])}`,
        );
      }
    }
  }
  // min and scale were checked above for the integer dtypes; a half float needs neither.
  const quantization: Quantization =
    q.dtype === 'float16' ? { dtype: 'float16' } : { dtype: q.dtype as 'uint8' | 'uint16', min: q.min as number, scale: q.scale as number };
  return { name: entry.name, shape: [...shape], dtype: entry.dtype, quantization };
}

/**
 * Checks a parsed weights manifest (`model.json`'s `weightsManifest`) without trusting it:
 * every name a non-empty string, every shape non-negative integers within sepconv's size
 * limit, every dtype and quantisation one sepconv decodes (from allow-lists, so `'toString'`
 * is no dtype). Errors name the entry by its path, e.g.
 * `modelJson.weightsManifest[0].weights[3].dtype (weight 'conv1/kernel') must be one of 'float32', 'int32', got 'toString'`.
 * @param argument how errors name the manifest; default `weightsManifest`.
 * @throws ValueError / ShapeError / UnsupportedError naming `op` and the entry at fault.
 */
export function checkWeightsManifest(op: string, manifest: unknown, argument = 'weightsManifest'): WeightsGroup[] {
  if (!Array.isArray(manifest)) throw new ValueError(op, argument, `${argument} must be an array of groups, got ${describeValue(manifest)}`);
  return manifest.map((group: unknown, g) => {
    const where = `${argument}[${g}]`;
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new ValueError(op, where, `${where} must be { paths: string[], weights: [...] }, got ${describeValue(group)}`);
    }
    if (!group.paths.every((path) => typeof path === 'string')) {
      throw new ValueError(op, `${where}.paths`, `${where}.paths must be file names (strings), got ${describeValue(group.paths)}`);
    }
    const weights = group.weights.map((entry: unknown, w) => checkEntry(op, entry, `${where}.weights[${w}]`));
    return { paths: [...(group.paths as string[])], weights };
  });
}

/**
 * Decodes TensorFlow.js weight data: the entries of `specs` packed one after another,
 * little-endian, in `data` (every shard of every group, concatenated in manifest order).
 * Quantised entries are dequantised (`min + scale·q` for uint8/uint16, IEEE half for float16).
 * `specs` come from {@link checkWeightsManifest}; `weightData` is any {@link WeightData}.
 * Never reads past `data`: a short or overlong buffer is an error naming the weight.
 * @returns float32 host tensors by weight name.
 * @throws ShapeError naming `op` and the first weight the data cannot hold; ValueError for a
 * repeated name, bytes left over, or `weightData` that is not bytes.
 */
export function decodeWeights(op: string, specs: readonly WeightSpec[], weightData: WeightData): WeightMap {
  const data = weightBytes(op, weightData);
  // Checked again here: decodeWeights is public, and its specs need not come from checkWeightsManifest.
  if (!Array.isArray(specs)) throw new ValueError(op, 'specs', `specs must be an array of weight entries, got ${describeValue(specs)}`);
  const checked = specs.map((spec: unknown, i) => checkEntry(op, spec, `specs[${i}]`));
  const weights = new Map<string, HostTensor>();
  let offset = 0;
  for (const spec of checked) {
    if (weights.has(spec.name)) throw new ValueError(op, spec.name, `weight '${spec.name}' appears twice in the manifest`);
    const elements = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = elements * (spec.quantization ? QUANTIZED_BYTES[spec.quantization.dtype] : PLAIN_BYTES.get(spec.dtype)!);
    if (offset + bytes > data.byteLength) {
      throw new ShapeError(
        op,
        spec.name,
        `weight '${spec.name}' ${formatShape(spec.shape)} needs bytes ${offset}..${offset + bytes}, but the weight data has only ${data.byteLength}`,
      );
    }
    const view = new DataView(data.buffer, data.byteOffset + offset, bytes);
    let values: Float32Array;
    if (spec.quantization) {
      values = dequantize(view, elements, spec.quantization, spec.dtype === 'int32');
    } else {
      values = new Float32Array(elements);
      if (spec.dtype === 'int32') for (let i = 0; i < elements; i++) values[i] = view.getInt32(4 * i, true);
      else for (let i = 0; i < elements; i++) values[i] = view.getFloat32(4 * i, true);
    }
    weights.set(spec.name, new HostTensor(values, Object.freeze([...spec.shape])));
    offset += bytes;
  }
  if (offset !== data.byteLength) {
    throw new ValueError(
      op,
      'weightData',
      `the manifest describes ${offset} bytes of weights, but the weight data has ${data.byteLength}: weights and manifest do not belong together`,
    );
  }
  return weights;
}

/** Concatenates weight shards (in manifest order) into the one buffer {@link decodeWeights} takes. */
export function concatenateShards(shards: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(shards.reduce((n, s) => n + s.byteLength, 0));
  let offset = 0;
  for (const shard of shards) {
    out.set(shard, offset);
    offset += shard.byteLength;
  }
  return out;
}
