import { describeValue, ValueError } from '@sepconv/tensor';
import { abortable, throwIfAborted } from '../abort.js';
import { readStream } from '../read-stream.js';
import { ModelFileError } from '../model-file-error.js';
import { baseName, type EntryContent, type LoadContext, type ModelSource } from './model-source.js';
import { readShardsInParallel } from './read-shards.js';

/** What `loadModel` uses of a browser `File` (Node 20 has `File` too): its name, size and bytes. */
export interface FileLike {
  readonly name: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  stream?(): ReadableStream<Uint8Array>;
}

/** `value` looks like a `File` (or a `Blob` with a name). */
export function isFileLike(value: unknown): value is FileLike {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as Partial<FileLike>;
  return typeof file.name === 'string' && typeof file.size === 'number' && typeof file.arrayBuffer === 'function';
}

/** The entry among the files: `model.json`, else the only `.json` file, else the only `.onnx` file. */
function findEntry(op: string, files: readonly FileLike[]): FileLike {
  const rules: readonly ((name: string) => boolean)[] = [
    (name) => name === 'model.json',
    (name) => name.endsWith('.json'),
    (name) => name.toLowerCase().endsWith('.onnx'),
  ];
  for (const rule of rules) {
    const found = files.filter((file) => rule(file.name));
    if (found.length === 1) return found[0]!;
    if (found.length > 1) break;
  }
  throw new ValueError(
    op,
    'source',
    `cannot tell which file is the model: expected one 'model.json' (or one .json or .onnx file), got ${describeValue(files.map((f) => f.name))}`,
  );
}

async function readFile(file: FileLike, argument: string, context: LoadContext): Promise<Uint8Array> {
  const { op, signal, progress } = context;
  throwIfAborted(op, signal);
  const failed = (error: unknown) =>
    new ModelFileError(
      op,
      argument,
      file.name,
      `cannot read file '${file.name}': ${error instanceof Error ? error.message : describeValue(error)}`,
      undefined,
      { cause: error },
    );
  if (typeof file.stream === 'function') return readStream(op, file.stream(), file.name, file.size, progress, signal, failed);
  let buffer: ArrayBuffer;
  try {
    buffer = await abortable(op, file.arrayBuffer(), signal);
  } catch (error) {
    throw signal?.aborted ? error : failed(error);
  }
  const bytes = new Uint8Array(buffer);
  progress.add(file.name, bytes.byteLength, bytes.byteLength, file.size);
  return bytes;
}

/**
 * The files of an `<input type="file" multiple>` (a `FileList` or `File[]`): the entry found
 * by name (see `findEntry`), each shard by its manifest path's file name.
 */
export function fileListSource(op: string, files: readonly FileLike[]): ModelSource {
  const entryFile = findEntry(op, files);
  let entry: Promise<EntryContent> | undefined;
  return {
    entryName: entryFile.name,
    readEntry: (context) => (entry ??= readFile(entryFile, 'source', context).then((bytes) => ({ bytes }))),
    readShards: async (shards, context) => {
      const byShard = shards.map((shard) => ({ shard, matches: files.filter((file) => file.name === baseName(shard.path)) }));
      const missing = byShard.filter((s) => s.matches.length !== 1).map((s) => s.shard.path);
      if (missing.length > 0) {
        throw new ValueError(
          op,
          'source',
          `the files must hold each shard model.json names exactly once; missing or repeated: ${describeValue(missing)}, files given: ${describeValue(files.map((f) => f.name))}`,
        );
      }
      const fileOf = new Map(byShard.map((s) => [s.shard, s.matches[0]!]));
      return await readShardsInParallel(shards, context, (shard, inner) => readFile(fileOf.get(shard)!, shard.at, inner));
    },
  };
}
