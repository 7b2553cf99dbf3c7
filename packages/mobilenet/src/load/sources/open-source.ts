import { describeValue, ValueError } from '@sepconv/tensor';
import type { WeightData } from '../../weights/index.js';
import { fileListSource, isFileLike, type FileLike } from './file-list-source.js';
import { filePathSource, fileUrlToPath, hasNodeFileSystem } from './file-path-source.js';
import { isWeightData, memorySource, type ModelFilesInMemory } from './memory-source.js';
import type { ModelSource } from './model-source.js';
import { urlSource } from './url-source.js';

/**
 * Every form `loadModel` takes a model in: a URL (string or `URL`), a file path (Node), the
 * bytes of one file (an .onnx model), files in memory, or a browser `FileList` / `File[]`.
 */
export type ModelLocation = string | URL | WeightData | ModelFilesInMemory | ArrayLike<FileLike> | Iterable<FileLike>;

/** A URL scheme of two letters or more: `C:\models\model.json` is a Windows path, not a URL. */
const SCHEME = /^[a-z][a-z0-9+.-]+:/i;

function isUrl(value: unknown): value is URL {
  return value instanceof URL || Object.prototype.toString.call(value) === '[object URL]';
}

/** The files of a `FileList` (array-like, with `item()`) or a `File[]` / iterable of files; undefined for anything else. */
function asFiles(value: unknown): FileLike[] | undefined {
  if (typeof value !== 'object' || value === null || isWeightData(value) || isUrl(value)) return undefined;
  const list = value as { length?: unknown; [Symbol.iterator]?: unknown };
  const files = Array.isArray(value)
    ? value
    : typeof list.length === 'number' || typeof list[Symbol.iterator] === 'function'
      ? Array.from(value as ArrayLike<unknown>)
      : undefined;
  return files !== undefined && files.length > 0 && files.every(isFileLike) ? files : undefined;
}

/** A URL, or a path in Node; a path in a browser is a URL relative to the page. */
async function openLocation(op: string, location: string | URL): Promise<ModelSource> {
  let url: URL;
  if (isUrl(location)) {
    url = location;
  } else if (SCHEME.test(location)) {
    try {
      url = new URL(location);
    } catch {
      throw new ValueError(op, 'source', `source must be a valid URL or a file path, got ${describeValue(location)}`);
    }
  } else if (location.length === 0) {
    throw new ValueError(op, 'source', 'source must be a URL or a file path, got an empty string');
  } else if (hasNodeFileSystem()) {
    return filePathSource(location);
  } else {
    const base =
      (globalThis as { document?: { baseURI?: string }; location?: { href?: string } }).document?.baseURI ??
      (globalThis as { location?: { href?: string } }).location?.href;
    if (base === undefined)
      throw new ValueError(
        op,
        'source',
        `source ${describeValue(location)} is relative, and there is no page to resolve it against: give a full URL`,
      );
    url = new URL(location, base);
  }
  if (url.protocol === 'file:' && hasNodeFileSystem()) return filePathSource(await fileUrlToPath(url));
  return urlSource(url);
}

/**
 * Picks the source for what the caller passed.
 * @throws ValueError naming `source` for anything that is none of the accepted forms.
 */
export async function openSource(op: string, source: unknown): Promise<ModelSource> {
  if (typeof source === 'string' || isUrl(source)) return openLocation(op, source);
  if (isWeightData(source)) return memorySource({ modelJson: source });
  const files = asFiles(source);
  if (files) return fileListSource(op, files);
  if (typeof source === 'object' && source !== null && 'modelJson' in source) return memorySource(source as ModelFilesInMemory);
  throw new ValueError(
    op,
    'source',
    `source must be a URL, a file path (Node), the bytes of a model file, { modelJson, weights }, or a FileList / File[], got ${describeValue(source)}`,
  );
}
