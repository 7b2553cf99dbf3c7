import { describeValue, ValueError } from '@sepconv/tensor';
import { concatenateShards, type WeightData } from '../../weights/index.js';
import { weightBytes } from '../../weights/weight-bytes.js';
import { baseName, type EntryContent, type LoadContext, type ModelSource, type ShardRef } from './model-source.js';

/**
 * A model's files already in memory.
 * - `modelJson`: model.json as the parsed object, its text, or its bytes.
 * - `weights`: the shards concatenated in manifest order (an `ArrayBuffer` or any view of one,
 *   see {@link WeightData}), or a record from each shard's manifest path (or file name) to its
 *   bytes. May be left out when the manifest names no shards.
 */
export interface ModelFilesInMemory {
  readonly modelJson: object | string | WeightData;
  readonly weights?: WeightData | Readonly<Record<string, WeightData>>;
}

const ENTRY_NAME = 'model.json';

/** `value` is bytes (a buffer or a view of one) rather than a record of shards. */
export function isWeightData(value: unknown): value is WeightData {
  if (ArrayBuffer.isView(value)) return true;
  const tag = Object.prototype.toString.call(value);
  return tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]';
}

function entryContent(op: string, modelJson: ModelFilesInMemory['modelJson']): EntryContent {
  if (typeof modelJson === 'string') return { bytes: new TextEncoder().encode(modelJson) };
  if (isWeightData(modelJson)) return { bytes: weightBytes(op, modelJson) };
  return { json: modelJson };
}

/** The bytes of one shard from a record: by its manifest path, else by file name when exactly one key has it. */
function shardFromRecord(record: Readonly<Record<string, WeightData>>, shard: ShardRef): WeightData | undefined {
  if (Object.hasOwn(record, shard.path)) return record[shard.path];
  const name = baseName(shard.path);
  const matches = Object.keys(record).filter((key) => baseName(key) === name);
  return matches.length === 1 ? record[matches[0]!] : undefined;
}

function readShards(files: ModelFilesInMemory, shards: readonly ShardRef[], context: LoadContext): Uint8Array[] {
  const { op, progress } = context;
  const weights = files.weights;
  const report = (file: string, bytes: Uint8Array) => progress.add(file, bytes.byteLength, bytes.byteLength, bytes.byteLength);
  if (weights === undefined) {
    if (shards.length === 0) return [];
    throw new ValueError(
      op,
      'source.weights',
      `model.json's manifest names shards ${describeValue(shards.map((s) => s.path))}, but no weights were given`,
    );
  }
  if (isWeightData(weights)) {
    const bytes = weightBytes(op, weights);
    report('weights', bytes);
    return [bytes];
  }
  if (typeof weights !== 'object' || weights === null) {
    throw new ValueError(op, 'source.weights', `source.weights must be bytes or a record of shard path -> bytes, got ${describeValue(weights)}`);
  }
  const missing = shards.filter((shard) => shardFromRecord(weights, shard) === undefined).map((s) => s.path);
  if (missing.length > 0) {
    throw new ValueError(
      op,
      'source.weights',
      `source.weights has no shard ${describeValue(missing)} (by path or file name); it has ${describeValue(Object.keys(weights))}`,
    );
  }
  return shards.map((shard) => {
    const bytes = weightBytes(op, shardFromRecord(weights, shard));
    report(shard.path, bytes);
    return bytes;
  });
}

/** Files the caller already holds: nothing is fetched; progress reports each file once. */
export function memorySource(files: ModelFilesInMemory): ModelSource {
  return {
    entryName: ENTRY_NAME,
    readEntry: async ({ op, progress }) => {
      const content = entryContent(op, files.modelJson);
      const size = 'bytes' in content ? content.bytes.byteLength : 0;
      progress.add(ENTRY_NAME, size, size, size);
      return content;
    },
    readShards: async (shards, context) => {
      const parts = readShards(files, shards, context);
      return parts.length === 1 ? parts[0]! : concatenateShards(parts);
    },
  };
}
