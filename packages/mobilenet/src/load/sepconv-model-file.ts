import { checkQuantParams, describeValue, formatShape, HostTensor, ShapeError, ValueError } from '@sepconv/tensor';
import { modelSpec, type ModelSpec } from '@sepconv/graph';
import type { ModelQuantization, QuantizedModelSpec, QuantizedWeight, QuantizedWeightMap } from '../quantize/quantized-model-spec.js';
import { weightBytes, type WeightData } from '../weights/weight-bytes.js';
import type { WeightMap } from '../weights/weight-map.js';

/** The `format` field of sepconv's own model.json. */
export const SEPCONV_MODEL_FORMAT = 'sepconv-model';
/** The version of the layout below; a reader refuses a newer one. */
export const SEPCONV_MODEL_VERSION = 1;

/** The dtypes of sepconv's weight files: float32 weights, int8 kernels (with per-channel scales), int32 biases. */
export type SepconvWeightDtype = 'float32' | 'int8' | 'int32';

/** One weight in the manifest: its bytes follow the previous entry's in the shards (little-endian). */
export interface SepconvWeightEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: SepconvWeightDtype;
  /** int8 kernels: one float32 scale per output channel. */
  readonly scales?: readonly number[];
}

/**
 * sepconv's model.json: the spec as plain JSON (with its `quantization` for a quantized model)
 * and a manifest of the weight shards in TensorFlow.js's shape (`[{ paths, weights }]`), so the
 * same sources (`loadModel`: URLs, files, memory) read it.
 */
export interface SepconvModelJson {
  readonly format: typeof SEPCONV_MODEL_FORMAT;
  readonly formatVersion: number;
  readonly spec: ModelSpec;
  readonly weightsManifest: readonly { readonly paths: readonly string[]; readonly weights: readonly SepconvWeightEntry[] }[];
}

const BYTES: Record<SepconvWeightDtype, number> = { float32: 4, int8: 1, int32: 4 };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entry of a weight and its bytes (little-endian, as the typed arrays of every current platform hold them). */
function entryOf(name: string, weight: QuantizedWeight): { entry: SepconvWeightEntry; bytes: Uint8Array } {
  const bytes = new Uint8Array(weight.data.buffer, weight.data.byteOffset, weight.data.byteLength);
  if (weight instanceof HostTensor) return { entry: { name, shape: [...weight.shape], dtype: 'float32' }, bytes };
  if (weight.dtype === 'int8') return { entry: { name, shape: [...weight.shape], dtype: 'int8', scales: Array.from(weight.scales) }, bytes };
  return { entry: { name, shape: [...weight.shape], dtype: 'int32' }, bytes };
}

/**
 * Writes a model (a float one from a reader, or a quantized one from `quantizeModel`) as
 * sepconv's model files: `modelJson` (save it as `model.json`) and `weightData` (save it as
 * `shardName`, beside it). `loadModel` reads them back to the same spec and weights.
 * @param shardName the shard's file name in the manifest; default `'weights.bin'`.
 * @throws ValueError naming `saveModel` for a weight that is not a host tensor, an int8 kernel or an int32 bias.
 */
export function saveModel(
  model: { readonly spec: ModelSpec; readonly weights: WeightMap | QuantizedWeightMap },
  shardName = 'weights.bin',
): { modelJson: SepconvModelJson; weightData: Uint8Array } {
  const entries: SepconvWeightEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const [name, weight] of model.weights) {
    if (!(weight instanceof HostTensor) && !(isRecord(weight) && (weight.dtype === 'int8' || weight.dtype === 'int32'))) {
      throw new ValueError(
        'saveModel',
        `model.weights`,
        `weight '${name}' must be a host tensor, an int8 kernel or an int32 bias, got ${describeValue(weight)}`,
      );
    }
    const { entry, bytes } = entryOf(name, weight);
    entries.push(entry);
    parts.push(bytes);
  }
  const weightData = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    weightData.set(part, offset);
    offset += part.byteLength;
  }
  const spec = JSON.parse(JSON.stringify(model.spec)) as ModelSpec;
  return {
    modelJson: {
      format: SEPCONV_MODEL_FORMAT,
      formatVersion: SEPCONV_MODEL_VERSION,
      spec,
      weightsManifest: [{ paths: [shardName], weights: entries }],
    },
    weightData,
  };
}

function checkEntry(op: string, entry: unknown, at: string): SepconvWeightEntry {
  if (!isRecord(entry) || typeof entry.name !== 'string' || !Array.isArray(entry.shape)) {
    throw new ValueError(op, at, `${at} must be { name, shape, dtype }, got ${describeValue(entry)}`);
  }
  if (!entry.shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new ShapeError(op, `${at}.shape`, `${at}.shape (weight '${entry.name}') must hold integers >= 0, got ${describeValue(entry.shape)}`);
  }
  if (typeof entry.dtype !== 'string' || !Object.hasOwn(BYTES, entry.dtype)) {
    throw new ValueError(
      op,
      `${at}.dtype`,
      `${at}.dtype (weight '${entry.name}') must be one of 'float32', 'int8', 'int32', got ${describeValue(entry.dtype)}`,
    );
  }
  if (entry.dtype === 'int8') {
    const scales = entry.scales;
    const size = (entry.shape as number[]).reduce((a, b) => a * b, 1);
    if (
      !Array.isArray(scales) ||
      scales.length === 0 ||
      size % scales.length !== 0 ||
      !scales.every((s) => typeof s === 'number' && Number.isFinite(s) && s > 0)
    ) {
      throw new ValueError(
        op,
        `${at}.scales`,
        `${at}.scales (weight '${entry.name}') must be positive numbers, one per output channel, got ${describeValue(scales)}`,
      );
    }
  }
  return entry as unknown as SepconvWeightEntry;
}

function checkQuantization(op: string, quantization: unknown): ModelQuantization {
  const at = 'modelJson.spec.quantization';
  if (!isRecord(quantization) || quantization.scheme !== 'int8' || !isRecord(quantization.activations) || !isRecord(quantization.floatLayers)) {
    throw new ValueError(op, at, `${at} must be { scheme: 'int8', activations, floatLayers }, got ${describeValue(quantization)}`);
  }
  const activations = Object.fromEntries(
    Object.entries(quantization.activations).map(([name, params]) => [name, checkQuantParams(op, `${at}.activations['${name}']`, params)]),
  );
  for (const [name, reason] of Object.entries(quantization.floatLayers)) {
    if (typeof reason !== 'string')
      throw new ValueError(op, `${at}.floatLayers['${name}']`, `${at}.floatLayers['${name}'] must be a string (the reason)`);
  }
  return { scheme: 'int8', activations, floatLayers: quantization.floatLayers as Record<string, string> };
}

function decode(entry: SepconvWeightEntry, bytes: Uint8Array): QuantizedWeight {
  // A copy: the views need their own aligned buffer.
  const buffer = bytes.slice().buffer;
  if (entry.dtype === 'float32') return new HostTensor(new Float32Array(buffer), entry.shape);
  if (entry.dtype === 'int32') return { dtype: 'int32', shape: entry.shape, data: new Int32Array(buffer) };
  return { dtype: 'int8', shape: entry.shape, data: new Int8Array(buffer), scales: Float32Array.from(entry.scales!) };
}

/**
 * Reads sepconv's model files (from {@link saveModel}) given as the parsed model.json and the
 * shards' bytes concatenated in manifest order: the spec (checked by `modelSpec`, its
 * quantization by `checkQuantParams`) and the weights. `loadModel` calls it for a model.json
 * with `format: 'sepconv-model'`.
 * @throws ValueError / ShapeError naming `op` and the part of model.json at fault, or the weight
 * the bytes cannot hold (a `formatVersion` other than 1 included).
 */
export function loadSepconvModel(
  modelJson: unknown,
  weightData: WeightData,
  op = 'loadSepconvModel',
): { spec: ModelSpec | QuantizedModelSpec; weights: WeightMap | QuantizedWeightMap } {
  if (!isRecord(modelJson) || modelJson.format !== SEPCONV_MODEL_FORMAT) {
    throw new ValueError(
      op,
      'modelJson',
      `modelJson must be sepconv's model.json (format '${SEPCONV_MODEL_FORMAT}'), got ${describeValue(modelJson)}`,
    );
  }
  if (modelJson.formatVersion !== SEPCONV_MODEL_VERSION) {
    throw new ValueError(
      op,
      'modelJson.formatVersion',
      `modelJson.formatVersion must be ${SEPCONV_MODEL_VERSION}, got ${describeValue(modelJson.formatVersion)}`,
    );
  }
  if (!isRecord(modelJson.spec))
    throw new ValueError(op, 'modelJson.spec', `modelJson.spec must be a model spec, got ${describeValue(modelJson.spec)}`);
  const raw = modelJson.spec as unknown as ModelSpec & { quantization?: unknown };
  const checked = modelSpec({
    name: raw.name,
    inputs: raw.inputs,
    outputs: raw.outputs,
    layers: raw.layers,
    ...(raw.layout ? { layout: raw.layout } : {}),
  });
  const spec = raw.quantization === undefined ? checked : { ...checked, quantization: checkQuantization(op, raw.quantization) };
  const manifest = modelJson.weightsManifest;
  if (!Array.isArray(manifest)) throw new ValueError(op, 'modelJson.weightsManifest', `modelJson.weightsManifest must be an array of groups`);
  const data = weightBytes(op, weightData);
  const weights = new Map<string, QuantizedWeight>();
  let offset = 0;
  for (const [g, group] of manifest.entries()) {
    const entries: unknown = isRecord(group) ? group.weights : undefined;
    if (!Array.isArray(entries))
      throw new ValueError(op, `modelJson.weightsManifest[${g}]`, `modelJson.weightsManifest[${g}] must be { paths, weights }`);
    for (const [w, raw] of entries.entries()) {
      const entry = checkEntry(op, raw, `modelJson.weightsManifest[${g}].weights[${w}]`);
      const length = entry.shape.reduce((a, b) => a * b, 1) * BYTES[entry.dtype];
      if (offset + length > data.byteLength) {
        throw new ShapeError(
          op,
          entry.name,
          `weight '${entry.name}' ${formatShape(entry.shape)} needs bytes ${offset}..${offset + length}, but the weight data has only ${data.byteLength}`,
        );
      }
      if (weights.has(entry.name)) throw new ValueError(op, entry.name, `weight '${entry.name}' appears twice in the manifest`);
      weights.set(entry.name, decode(entry, data.subarray(offset, offset + length)));
      offset += length;
    }
  }
  if (offset !== data.byteLength)
    throw new ValueError(op, 'weightData', `the weight data has ${data.byteLength - offset} bytes the manifest does not describe`);
  return { spec, weights };
}
