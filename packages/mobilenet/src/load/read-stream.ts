import { concatenateShards } from '../weights/index.js';
import { abortable } from './abort.js';
import { LoadAbortedError } from './load-aborted-error.js';
import type { ProgressTracker } from './load-progress.js';

/**
 * Reads `stream` to its end, reporting each chunk to `progress` as bytes of `file`. On abort,
 * or when `onProgress` throws, the stream is cancelled (an HTTP body stops downloading).
 * A read that fails (a connection reset mid-body) is rethrown as `readError(error)`; an abort
 * as a LoadAbortedError, and `onProgress`'s own errors unchanged.
 */
export async function readStream(
  op: string,
  stream: ReadableStream<Uint8Array>,
  file: string,
  fileTotal: number | undefined,
  progress: ProgressTracker,
  signal: AbortSignal | undefined,
  readError: (error: unknown) => Error,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let done = false;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await abortable(op, reader.read(), signal);
      } catch (error) {
        throw error instanceof LoadAbortedError ? error : readError(error);
      }
      if (next.done) break;
      chunks.push(next.value);
      loaded += next.value.byteLength;
      progress.add(file, next.value.byteLength, loaded, fileTotal);
    }
    done = true;
  } finally {
    if (!done) reader.cancel().catch(() => {});
  }
  return chunks.length === 1 ? chunks[0]! : concatenateShards(chunks);
}
