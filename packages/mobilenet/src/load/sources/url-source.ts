import { describeValue } from '@sepconv/tensor';
import { abortable, throwIfAborted } from '../abort.js';
import { LoadAbortedError } from '../load-aborted-error.js';
import { ModelFileError } from '../model-file-error.js';
import { readStream } from '../read-stream.js';
import { checkShardPath, type EntryContent, type LoadContext, type ModelSource } from './model-source.js';
import { readShardsInParallel } from './read-shards.js';

/** A failed fetch's reason: undici's `TypeError('fetch failed')` keeps the useful part (`ECONNREFUSED …`) in `cause`. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return describeValue(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/**
 * The body's size from `Content-Length`, when that is the size of the bytes the body stream
 * gives: a compressed response's length is the compressed size, so it is left out.
 */
function contentLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return undefined;
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/**
 * GETs `url`, streaming the body into progress reports.
 * @throws ModelFileError naming the URL for a network failure or a non-2xx status;
 * LoadAbortedError when the signal aborts.
 */
async function fetchBytes(url: URL, argument: string, context: LoadContext): Promise<Uint8Array> {
  const { op, signal, progress } = context;
  const href = url.href;
  const failed = (reason: string, status?: number, cause?: unknown) =>
    new ModelFileError(op, argument, href, `GET ${href} failed: ${reason}`, status, cause === undefined ? undefined : { cause });
  throwIfAborted(op, signal);
  const fetchFile = context.fetch;
  let response: Response;
  try {
    response = await abortable(op, fetchFile(href, signal ? { signal } : {}), signal);
  } catch (error) {
    if (error instanceof LoadAbortedError) throw error;
    throw failed(describeFailure(error), undefined, error);
  }
  if (!response.ok) {
    response.body?.cancel().catch(() => {});
    throw failed(`${response.status} ${response.statusText}`.trim(), response.status);
  }
  const fileTotal = contentLength(response);
  if (response.body)
    return readStream(op, response.body, href, fileTotal, progress, signal, (error) => failed(describeFailure(error), response.status, error));
  // A custom fetch may give a Response without a body stream.
  const bytes = new Uint8Array(await abortable(op, response.arrayBuffer(), signal));
  progress.add(href, bytes.byteLength, bytes.byteLength, fileTotal);
  return bytes;
}

/**
 * Files over HTTP(S) (or any scheme the `fetch` in use reads: `data:`, `blob:`): model.json at
 * `url`, each shard at its manifest path resolved against it (`new URL(path, url)`).
 */
export function urlSource(url: URL): ModelSource {
  let entry: Promise<EntryContent> | undefined;
  return {
    entryName: url.href,
    readEntry: (context) => (entry ??= fetchBytes(url, 'source', context).then((bytes) => ({ bytes }))),
    readShards: (shards, context) =>
      readShardsInParallel(shards, context, (shard, inner) => fetchBytes(new URL(checkShardPath(inner.op, shard), url), shard.at, inner)),
  };
}
