import { formatShape, HostTensor, MAX_ELEMENTS, ShapeError, UnsupportedError, ValueError } from '@sepconv/tensor';
import { dequantize, QUANTIZED_BYTES, type Quantization } from './dequantize.js';
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

const PLAIN_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4 };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a parsed weights manifest (`model.json`'s `weightsManifest`) without trusting it:
 * every name a string, every shape non-negative integers within sepconv's size limit, every
 * dtype and quantisation one sepconv decodes.
 * @throws ValueError / ShapeError / UnsupportedError naming `op` and the entry at fault.
 */
export function checkWeightsManifest(op: string, manifest: unknown): WeightsGroup[] {
  if (!Array.isArray(manifest)) throw new ValueError(op, 'weightsManifest', `weightsManifest must be an array of groups, got ${typeof manifest}`);
  return manifest.map((group: unknown, g) => {
    const where = `weightsManifest[${g}]`;
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new ValueError(op, where, `${where} must be { paths: string[], weights: [...] }`);
    }
    const weights = group.weights.map((entry: unknown, w): WeightSpec => {
      const at = `${where}.weights[${w}]`;
      if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name.length === 0) throw new ValueError(op, at, `${at} must have a non-empty name`);
      const label = `weight '${entry.name}'`;
      const shape = entry.shape;
      if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
        throw new ShapeError(op, entry.name, `${label}: shape must be non-negative integers, got ${JSON.stringify(shape)}`);
      }
      const elements = shape.reduce((a: number, b: number) => a * b, 1);
      if (elements > MAX_ELEMENTS) throw new ShapeError(op, entry.name, `${label}: shape ${formatShape(shape)} has more than ${MAX_ELEMENTS} elements`);
      if (typeof entry.dtype !== 'string' || !(entry.dtype in PLAIN_BYTES)) {
        throw new UnsupportedError(op, entry.name, `${label}: dtype must be 'float32' or 'int32', got ${JSON.stringify(entry.dtype)}`);
      }
      let quantization: Quantization | undefined;
      if (entry.quantization !== undefined) {
        const q = entry.quantization;
        if (!isRecord(q) || typeof q.dtype !== 'string' || !(q.dtype in QUANTIZED_BYTES)) {
          throw new UnsupportedError(op, entry.name, `${label}: quantization dtype must be 'uint8', 'uint16' or 'float16', got ${JSON.stringify(isRecord(q) ? q.dtype : q)}`);
        }
        if (q.dtype !== 'float16' && (typeof q.min !== 'number' || typeof q.scale !== 'number' || !Number.isFinite(q.min) || !Number.isFinite(q.scale))) {
          throw new ValueError(op, entry.name, `${label}: ${q.dtype} quantization needs finite min and scale, got ${JSON.stringify(q)}`);
        }
        quantization = { dtype: q.dtype as Quantization['dtype'], min: q.min as number | undefined, scale: q.scale as number | undefined };
      }
      return { name: entry.name, shape: [...shape], dtype: entry.dtype, quantization };
    });
    return { paths: group.paths.map(String), weights };
  });
}

/**
 * Decodes TensorFlow.js weight data: the entries of `specs` packed one after another,
 * little-endian, in `data` (every shard of every group, concatenated in manifest order).
 * Quantised entries are dequantised (`min + scale·q` for uint8/uint16, IEEE half for float16).
 * Never reads past `data`: a short or overlong buffer is an error naming the weight.
 * @returns float32 host tensors by weight name.
 * @throws ShapeError naming `op` and the first weight the data cannot hold; ValueError for a
 * repeated name or bytes left over.
 */
export function decodeWeights(op: string, specs: readonly WeightSpec[], data: Uint8Array): WeightMap {
  const weights = new Map<string, HostTensor>();
  let offset = 0;
  for (const spec of specs) {
    if (weights.has(spec.name)) throw new ValueError(op, spec.name, `weight '${spec.name}' appears twice in the manifest`);
    const elements = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = elements * (spec.quantization ? QUANTIZED_BYTES[spec.quantization.dtype]! : PLAIN_BYTES[spec.dtype]!);
    if (offset + bytes > data.byteLength) {
      throw new ShapeError(op, spec.name, `weight '${spec.name}' ${formatShape(spec.shape)} needs bytes ${offset}..${offset + bytes}, but the weight data has only ${data.byteLength}`);
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
    throw new ValueError(op, 'weightData', `the manifest describes ${offset} bytes of weights, but the weight data has ${data.byteLength}: weights and manifest do not belong together`);
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
