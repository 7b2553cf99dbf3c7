import { describeValue, UnsupportedError, ValueError } from '@sepconv/tensor';
import type { ModelSpec } from '@sepconv/graph';
import type { QuantizedModelSpec, QuantizedWeightMap } from '../quantize/quantized-model-spec.js';
import type { WeightMap } from '../weights/weight-map.js';
import { throwIfAborted } from './abort.js';
import { ProgressTracker, type LoadProgress } from './load-progress.js';
import { formatFromJson, formatFromName, parseEntry, type ModelFormat } from './model-format.js';
import { MODEL_READERS } from './model-readers.js';
import type { EntryContent, LoadContext } from './sources/model-source.js';
import { openSource, type ModelLocation } from './sources/open-source.js';

const OP = 'loadModel';

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** Called as bytes arrive (see {@link LoadProgress}): monotonic, the last call of a load that succeeds has `fraction: 1`. An error it throws ends the load. */
  onProgress?: ((progress: LoadProgress) => void) | undefined;
  /** Aborting it cancels in-flight fetches and file reads; `loadModel` then rejects with a {@link LoadAbortedError}. */
  signal?: AbortSignal | undefined;
  /** The `fetch` for URLs (to add headers, credentials, a cache). Default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
  /** Skips format detection. Default: detected (see {@link loadModel}). */
  format?: ModelFormat | undefined;
  /** Graph models: the NHWC input shape, needed when the graph leaves height or width open. Default: the Placeholder's, batch 1. */
  inputShape?: readonly [number, number, number, number] | undefined;
  /** Layers and ONNX models: the batch of the spec's shapes (the model runs at any batch). Default 1. */
  batch?: number | undefined;
  /**
   * ONNX models: `'nchw'` makes the model take NCHW input and return rank-4 outputs NCHW, as
   * onnxruntime users hold them. Default `'nhwc'` (see `loadOnnxModel`).
   */
  inputLayout?: 'nhwc' | 'nchw' | undefined;
}

/**
 * What {@link loadModel} gives: a spec and weights for `instantiate`, and where they came from.
 * A quantized sepconv model (`format: 'sepconv-model'` with `spec.quantization`) has int8
 * kernels and int32 biases among its weights: see `isQuantizedSpec`.
 */
export interface LoadModelResult {
  readonly spec: ModelSpec | QuantizedModelSpec;
  readonly weights: WeightMap | QuantizedWeightMap;
  /** The format the files were read as. */
  readonly format: ModelFormat;
  /** The parsed model.json (TensorFlow.js formats): its metadata, signature, converter version. */
  readonly modelJson?: unknown;
}

function defaultFetch(): typeof fetch {
  const global = (globalThis as { fetch?: typeof fetch }).fetch;
  if (typeof global === 'function') return global.bind(globalThis);
  return () => Promise.reject(new UnsupportedError(OP, 'options.fetch', 'this runtime has no global fetch: pass options.fetch'));
}

function checkOptions(options: LoadModelOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new ValueError(OP, 'options', `options must be an object, got ${describeValue(options)}`);
  for (const key of ['onProgress', 'fetch'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function')
      throw new ValueError(OP, `options.${key}`, `options.${key} must be a function, got ${describeValue(options[key])}`);
  }
  const signal = options.signal as Partial<AbortSignal> | undefined;
  if (
    signal !== undefined &&
    (typeof signal !== 'object' || signal === null || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function')
  ) {
    throw new ValueError(OP, 'options.signal', `options.signal must be an AbortSignal, got ${describeValue(options.signal)}`);
  }
  if (options.format !== undefined && !Object.hasOwn(MODEL_READERS, options.format)) {
    throw new ValueError(
      OP,
      'options.format',
      `options.format must be one of ${Object.keys(MODEL_READERS)
        .map((f) => `'${f}'`)
        .join(', ')}, got ${describeValue(options.format)}`,
    );
  }
}

/**
 * Loads a model from its files — the one call to make when you have a model's location rather
 * than its bytes. Returns the spec and weights that `instantiate(spec, backend, { weights })`
 * takes, exactly what the byte-level readers (`loadLayersModel`, `loadGraphModel`) give for
 * the same files.
 *
 * `source` is any of:
 * - a URL (`string` or `URL`; `http:`, `https:`, or any scheme the `fetch` reads): fetches
 *   model.json, then the weight shards its manifest names, resolved against model.json's URL,
 *   in parallel, streamed into `onProgress`. A relative string in a browser is resolved
 *   against the page.
 * - a file path (Node), or a `file:` URL: model.json on disk, its shards beside it. The
 *   file system is reached through a dynamic `import('node:fs/promises')` only in Node, so
 *   browser bundles never import a `node:` module.
 * - files in memory, `{ modelJson, weights }`: model.json as the parsed object, its text or its
 *   bytes; `weights` as the shards concatenated in manifest order (`ArrayBuffer`, `Uint8Array`,
 *   any view) or a record of shard path (or file name) → bytes.
 * - a `FileList` or `File[]` from `<input type="file" multiple>`: the file named `model.json`
 *   (else the only `.json` file), its shards found among the others by file name.
 * - the bytes of one model file (`ArrayBuffer` or a view).
 *
 * The format is `options.format`, else detected: a location or file ending in `.onnx` is ONNX;
 * a model.json says `format: 'layers-model'` / `'graph-model'`, or shows it by its
 * `modelTopology` (`model_config` or `class_name`: a Keras layers model; `node`: a graph
 * model); bytes that are not JSON are taken for ONNX (read by `loadOnnxModel`, with
 * `inputShape` / `batch` / `inputLayout` passed on).
 *
 * @example
 * const { spec, weights } = await loadModel('https://example.com/mobilenet/model.json', {
 *   onProgress: ({ fraction }) => bar.update(fraction ?? 0),
 *   signal: AbortSignal.timeout(30_000),
 * });
 * const model = await instantiate(spec, backend, { weights });
 * @example
 * await loadModel('./models/mobilenet/model.json');                 // Node: a file path
 * await loadModel({ modelJson: await res.json(), weights: shard });   // files in memory
 * await loadModel(input.files);                                      // <input type="file" multiple>
 * await loadModel('./mobilenet_v2.onnx', { inputLayout: 'nchw' });   // ONNX, e.g. from torch.onnx.export
 * @throws ModelFileError naming the URL and HTTP status (or the path) of a file that cannot be read;
 * LoadAbortedError when `options.signal` aborts; ValueError for a source or options of the wrong
 * kind, or a file that is not a model (not JSON, HTML, a weights manifest alone); UnsupportedError
 * for an option the format does not take; and whatever the format's
 * reader throws for the files' content (errors naming the layer, node or manifest entry).
 */
export async function loadModel(source: ModelLocation, options: LoadModelOptions = {}): Promise<LoadModelResult> {
  checkOptions(options);
  const { signal } = options;
  throwIfAborted(OP, signal);
  const context: LoadContext = { op: OP, progress: new ProgressTracker(options.onProgress), signal, fetch: options.fetch ?? defaultFetch() };
  const files = await openSource(OP, source);
  let content: Promise<EntryContent> | undefined;
  const readContent = () => (content ??= files.readEntry(context));
  let entry: ReturnType<typeof parseEntry> | undefined;
  const readEntry = async () => (entry ??= parseEntry(OP, await readContent(), files.entryName));
  const bytes = async () => {
    const read = await readContent();
    if (!('bytes' in read))
      throw new ValueError(OP, 'source', `${files.entryName} was given as parsed JSON; an ONNX model is the bytes of its .onnx file`);
    return read.bytes;
  };
  let format = options.format ?? formatFromName(files.entryName);
  if (format === undefined) {
    const parsed = await readEntry();
    format = parsed === 'onnx' ? 'onnx' : formatFromJson(OP, parsed.json, files.entryName);
  }
  const json = async () => {
    const parsed = await readEntry();
    if (parsed === 'onnx') throw new ValueError(OP, 'source', `${files.entryName} is not JSON, so it cannot be a ${format} model.json`);
    return parsed.json;
  };
  const { spec, weights, modelJson } = await MODEL_READERS[format]({ source: files, bytes, json, context, options });
  return { spec, weights, format, modelJson };
}
