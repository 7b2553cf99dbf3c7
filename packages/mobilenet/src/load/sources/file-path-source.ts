import { abortable, throwIfAborted } from '../abort.js';
import { LoadAbortedError } from '../load-aborted-error.js';
import { ModelFileError } from '../model-file-error.js';
import { checkShardPath, type EntryContent, type LoadContext, type ModelSource } from './model-source.js';
import { readShardsInParallel } from './read-shards.js';

/** Bytes per read: small enough for progress and abort to be prompt, large enough to cost nothing. */
const CHUNK_BYTES = 1 << 20;

/** Whether this runtime is Node (or one that offers its `node:` modules): the file-system source exists only there. */
export function hasNodeFileSystem(): boolean {
  const versions = (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions;
  return typeof versions?.node === 'string';
}

/**
 * Node's modules, imported by a specifier bundlers cannot see: with a literal
 * `import('node:fs/promises')` Vite still resolves the module for a browser bundle and warns
 * that it was externalised. This code runs only where {@link hasNodeFileSystem} holds.
 */
async function nodeModules() {
  const load = <T>(specifier: string): Promise<T> => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<T>;
  const [fs, path, url] = await Promise.all([
    load<typeof import('node:fs/promises')>('node:fs/promises'),
    load<typeof import('node:path')>('node:path'),
    load<typeof import('node:url')>('node:url'),
  ]);
  return { fs, path, url };
}

/** A `file:` URL as a path (Node only). */
export async function fileUrlToPath(url: URL): Promise<string> {
  return (await nodeModules()).url.fileURLToPath(url);
}

type NodeFs = Awaited<ReturnType<typeof nodeModules>>['fs'];

async function readFileBytes(fs: NodeFs, file: string, argument: string, context: LoadContext): Promise<Uint8Array> {
  const { op, signal, progress } = context;
  throwIfAborted(op, signal);
  const failed = (error: unknown) =>
    error instanceof LoadAbortedError
      ? error
      : new ModelFileError(op, argument, file, `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, undefined, {
          cause: error,
        });
  let handle: Awaited<ReturnType<NodeFs['open']>>;
  try {
    handle = await abortable(op, fs.open(file, 'r'), signal);
  } catch (error) {
    throw failed(error);
  }
  try {
    const { size } = await handle.stat();
    const data = new Uint8Array(size);
    let offset = 0;
    while (offset < size) {
      throwIfAborted(op, signal);
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(data, offset, Math.min(CHUNK_BYTES, size - offset), offset));
      } catch (error) {
        throw failed(error);
      }
      if (bytesRead === 0) break;
      offset += bytesRead;
      progress.add(file, bytesRead, offset, size);
    }
    if (size === 0) progress.add(file, 0, 0, 0);
    return offset === size ? data : data.subarray(0, offset);
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * Files on disk (Node): model.json at `path` (resolved against the working directory), each
 * shard at its manifest path resolved against model.json's directory.
 */
export async function filePathSource(path: string): Promise<ModelSource> {
  const { fs, path: nodePath } = await nodeModules();
  const entryPath = nodePath.resolve(path);
  const directory = nodePath.dirname(entryPath);
  let entry: Promise<EntryContent> | undefined;
  return {
    entryName: entryPath,
    readEntry: (context) => (entry ??= readFileBytes(fs, entryPath, 'source', context).then((bytes) => ({ bytes }))),
    readShards: (shards, context) =>
      readShardsInParallel(shards, context, (shard, inner) =>
        readFileBytes(fs, nodePath.resolve(directory, checkShardPath(inner.op, shard)), shard.at, inner),
      ),
  };
}
