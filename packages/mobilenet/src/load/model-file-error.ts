import { SepconvError } from '@sepconv/tensor';

/**
 * A file of a model could not be read: an HTTP status other than 2xx, a network failure, or a
 * file-system error (no such file, no permission). `file` is the URL or path that failed,
 * `status` the HTTP status where there was a response (404, 500…), `cause` the underlying error
 * where there was one. `op` is `'loadModel'`; `argument` is `'source'` for the entry file
 * (model.json) and the manifest entry (`modelJson.weightsManifest[0].paths[1]`) for a shard.
 * @example
 * // loadModel: GET http://localhost:8080/model/group1-shard2of2.bin failed: 404 Not Found
 */
export class ModelFileError extends SepconvError {
  override name = 'ModelFileError';
  constructor(
    op: string,
    argument: string,
    /** The URL (its `href`) or path that could not be read. */
    readonly file: string,
    message: string,
    /** The HTTP status of the response, where there was one. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(op, argument, message);
    if (options && 'cause' in options) this.cause = options.cause;
  }
}
