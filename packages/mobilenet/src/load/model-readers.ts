import { UnsupportedError, ValueError } from '@sepconv/tensor';
import { checkWeightsManifest, loadGraphModel, loadLayersModel, QUANTIZED_BYTES, type LoadedModel, type WeightsGroup } from '../weights/index.js';
import { throwIfAborted } from './abort.js';
import type { ModelFormat } from './model-format.js';
import { loadSepconvModel } from './sepconv-model-file.js';
import type { QuantizedModelSpec, QuantizedWeightMap } from '../quantize/quantized-model-spec.js';
import type { ModelSpec } from '@sepconv/graph';
import type { WeightMap } from '../weights/weight-map.js';
import type { LoadContext, ModelSource, ShardRef } from './sources/model-source.js';

/** The options of `loadModel` that a format's reader reads (see `LoadModelOptions`). */
export interface ReaderOptions {
  readonly inputShape?: readonly [number, number, number, number] | undefined;
  readonly batch?: number | undefined;
  readonly inputLayout?: 'nhwc' | 'nchw' | undefined;
}

/** What a format's reader gets: the source (to read shards from), the parsed entry, the load's context. */
export interface ReaderInput {
  readonly source: ModelSource;
  /** The entry file's bytes (an .onnx file; read once, on first call). */
  readonly bytes: () => Promise<Uint8Array>;
  /** The entry file parsed as JSON (read once, on first call). */
  readonly json: () => Promise<unknown>;
  readonly context: LoadContext;
  readonly options: ReaderOptions;
}

/** A format's reader: the spec and weights (int8 ones for a quantized model), and for JSON formats the parsed model.json (metadata, signatures). */
export type FormatReader = (input: ReaderInput) => Promise<
  (LoadedModel | { readonly spec: ModelSpec | QuantizedModelSpec; readonly weights: WeightMap | QuantizedWeightMap }) & {
    readonly modelJson?: unknown;
  }
>;

/** The bytes a manifest's weights take in the shards: float32 and int32 (the unquantised dtypes it accepts) are 4 bytes. */
function manifestByteLength(groups: readonly WeightsGroup[]): number {
  let bytes = 0;
  for (const weight of groups.flatMap((g) => g.weights)) {
    bytes += weight.shape.reduce((a, b) => a * b, 1) * (weight.quantization ? QUANTIZED_BYTES[weight.quantization.dtype] : 4);
  }
  return bytes;
}

/**
 * A reader for a TensorFlow.js model.json: checks the manifest, learns the total size from it,
 * reads the shards it names (manifest order) and hands both to the byte-level reader.
 */
function modelJsonReader(read: (modelJson: unknown, weightData: Uint8Array, options: ReaderOptions, op: string) => LoadedModel): FormatReader {
  return async ({ source, json, context, options }) => {
    const { op, progress, signal } = context;
    const modelJson = await json();
    const groups = checkWeightsManifest(op, (modelJson as { weightsManifest?: unknown }).weightsManifest, 'modelJson.weightsManifest');
    progress.expectRemaining(manifestByteLength(groups));
    const shards: ShardRef[] = groups.flatMap((group, g) =>
      group.paths.map((path, p) => ({ path, at: `modelJson.weightsManifest[${g}].paths[${p}]` })),
    );
    const weightData = await source.readShards(shards, context);
    throwIfAborted(op, signal);
    progress.complete(source.entryName);
    return { ...read(modelJson, weightData, options, op), modelJson };
  };
}

/** @throws UnsupportedError naming `options.<key>` when a format's reader cannot honour it. */
function refuseOption(op: string, options: ReaderOptions, key: keyof ReaderOptions, instead: string): void {
  if (options[key] !== undefined) throw new UnsupportedError(op, `options.${key}`, `options.${key} does not apply to this format: ${instead}`);
}

/**
 * One reader per format (`satisfies` makes a format without a reader a compile error). The
 * TensorFlow.js rows call the public byte-level readers, so `loadModel` gives exactly what
 * `loadLayersModel` / `loadGraphModel` give for the same files.
 */
export const MODEL_READERS = {
  'layers-model': modelJsonReader((modelJson, weightData, options, op) => {
    refuseOption(op, options, 'inputLayout', 'a TensorFlow.js model takes NHWC');
    refuseOption(op, options, 'inputShape', "a layers model's input shape comes from its topology; options.batch sets the batch");
    return loadLayersModel(modelJson, weightData, { batch: options.batch });
  }),
  'graph-model': modelJsonReader((modelJson, weightData, options, op) => {
    refuseOption(op, options, 'inputLayout', 'a TensorFlow.js model takes NHWC');
    refuseOption(op, options, 'batch', 'give a graph model its batch as options.inputShape[0]');
    return loadGraphModel(modelJson, weightData, { inputShape: options.inputShape });
  }),
  'sepconv-model': async ({ source, json, context, options }) => {
    const { op, progress, signal } = context;
    for (const key of ['inputLayout', 'inputShape', 'batch'] as const)
      refuseOption(op, options, key, 'a sepconv model keeps the shapes it was saved with');
    const modelJson = await json();
    const groups = (modelJson as { weightsManifest?: unknown }).weightsManifest;
    if (!Array.isArray(groups) || !groups.every((g: { paths?: unknown }) => Array.isArray(g?.paths) && g.paths.every((p) => typeof p === 'string'))) {
      throw new ValueError(op, 'modelJson.weightsManifest', 'modelJson.weightsManifest must be an array of { paths: string[], weights }');
    }
    const shards: ShardRef[] = (groups as { paths: string[] }[]).flatMap((group, g) =>
      group.paths.map((path, p) => ({ path, at: `modelJson.weightsManifest[${g}].paths[${p}]` })),
    );
    progress.expectRemaining(0);
    const weightData = await source.readShards(shards, context);
    throwIfAborted(op, signal);
    progress.complete(source.entryName);
    return { ...loadSepconvModel(modelJson, weightData, op), modelJson };
  },
  onnx: async ({ source, bytes, context, options }): ReturnType<FormatReader> => {
    const { op, progress, signal } = context;
    const data = await bytes();
    throwIfAborted(op, signal);
    progress.expectRemaining(0);
    progress.complete(source.entryName);
    // Loaded on first use, so a bundle that reads only TensorFlow.js models leaves the ONNX decoder out.
    const { loadOnnxModel } = await import('../onnx/load-onnx-model.js');
    const [shapeBatch, height, width, channels] = options.inputShape ?? [];
    const batch = options.batch ?? shapeBatch;
    const loaded = loadOnnxModel(data, {
      ...(batch === undefined ? {} : { batch }),
      ...(height === undefined || width === undefined ? {} : { resolution: [height, width] as const }),
      ...(options.inputLayout === undefined ? {} : { inputLayout: options.inputLayout }),
    });
    const inputChannels = loaded.spec.inputs[0]?.shape[3];
    if (channels !== undefined && inputChannels !== channels) {
      throw new ValueError(op, 'options.inputShape', `options.inputShape has ${channels} channels, but the model's input has ${inputChannels}`);
    }
    return loaded;
  },
} satisfies Record<ModelFormat, FormatReader>;
