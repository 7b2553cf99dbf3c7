import { describeValue, ValueError } from '@sepconv/tensor';
import type { ProgressTracker } from '../load-progress.js';

/** What the entry file of a model holds: bytes read from somewhere, or JSON the caller already parsed. */
export type EntryContent = { readonly bytes: Uint8Array } | { readonly json: unknown };

/** What one read of a source needs: the op naming errors, progress, the abort signal and the fetch to use. */
export interface LoadContext {
  readonly op: string;
  readonly progress: ProgressTracker;
  readonly signal?: AbortSignal | undefined;
  readonly fetch: typeof fetch;
}

/** A weight shard named by the manifest: its path as written, and how errors name that entry. */
export interface ShardRef {
  readonly path: string;
  readonly at: string;
}

/**
 * Where a model's files come from (a URL, a directory on disk, memory, a browser `FileList`),
 * behind one interface: `loadModel` reads the entry file, detects the format, and the
 * format's reader asks for the weight shards the manifest names.
 */
export interface ModelSource {
  /** How errors and progress name the entry file: a URL's `href`, a path, a file name, or `'model.json'`. */
  readonly entryName: string;
  /** The entry file (model.json, or an .onnx file). */
  readEntry(context: LoadContext): Promise<EntryContent>;
  /** The shards, in manifest order, concatenated as the byte-level readers take them. */
  readShards(shards: readonly ShardRef[], context: LoadContext): Promise<Uint8Array>;
}

/**
 * Checks that a manifest's shard path is relative (the format resolves it against model.json's
 * location): an absolute path or a URL with a scheme would let a model file point a load at
 * any file or host.
 * @throws ValueError naming the manifest entry.
 */
export function checkShardPath(op: string, shard: ShardRef): string {
  const { path, at } = shard;
  if (path.length === 0 || /^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || path.startsWith('\\')) {
    throw new ValueError(op, at, `${at} must be a path relative to model.json, got ${describeValue(path)}`);
  }
  return path;
}

/** The last segment of a path or URL path (`a/b/group1-shard1of2.bin` → `group1-shard1of2.bin`). */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
