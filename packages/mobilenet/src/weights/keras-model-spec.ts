import { describeValue, ValueError } from '@sepconv/tensor';
import type { ModelSpec } from '@sepconv/graph';
import { endpointNames, layerEntries, modelConfig, type KerasLayerEntry } from './keras-config.js';
import { KerasLayerContext } from './keras-layer-context.js';
import { kerasLowering } from './keras-layers.js';
import { postOrder } from './post-order.js';
import { SpecBuilder } from './spec-builder.js';

/** Options of {@link kerasModelSpec}. */
export interface KerasModelSpecOptions {
  /** The batch of the spec's shapes (Keras leaves it open). Default 1. */
  batch?: number | undefined;
  /**
   * Height and width for inputs saved with an open size (`[null, null, null, 3]`): one number
   * for a square input or `[height, width]`. Fills only the open sizes; a size the file fixes
   * must agree.
   */
  resolution?: number | readonly [number, number] | undefined;
}

const OP = 'kerasModelSpec';
const MODEL_CLASSES: ReadonlySet<unknown> = new Set(['Model', 'Functional', 'Sequential']);

/** An input's shape: the file's `[null, h, w, c]` with the batch and any open height/width filled from the options. */
function inputShape(entry: KerasLayerEntry, options: KerasModelSpecOptions): number[] {
  const declared = entry.config.batch_input_shape ?? entry.config.batch_shape;
  const batch = options.batch ?? 1;
  if (!Number.isSafeInteger(batch) || batch < 0)
    throw new ValueError(OP, 'options.batch', `options.batch must be a non-negative integer, got ${describeValue(options.batch)}`);
  if (!Array.isArray(declared) || declared.length < 2 || !declared.slice(1).every((d) => d === null || (Number.isSafeInteger(d) && d > 0))) {
    throw new ValueError(
      OP,
      entry.name,
      `layer '${entry.name}': the input shape (batch_input_shape / batch_shape) must be [batch, …sizes] with positive or open (null) sizes, got ${describeValue(declared)}`,
    );
  }
  const resolution = options.resolution;
  const given = resolution === undefined ? undefined : typeof resolution === 'number' ? [resolution, resolution] : resolution;
  if (given !== undefined && (!Array.isArray(given) || given.length !== 2 || !given.every((d) => Number.isSafeInteger(d) && d > 0))) {
    throw new ValueError(
      OP,
      'options.resolution',
      `options.resolution must be a positive integer or [height, width], got ${describeValue(resolution)}`,
    );
  }
  const shape = declared.slice(1).map((d: number | null, i) => {
    const wanted = declared.length === 4 && i < 2 ? given?.[i] : undefined;
    if (d !== null && wanted !== undefined && wanted !== d) {
      throw new ValueError(
        OP,
        'options.resolution',
        `input '${entry.name}' is fixed at ${declared[1]}×${declared[2]} in the file; options.resolution ${describeValue(resolution)} differs`,
      );
    }
    if (d === null && wanted === undefined) {
      throw new ValueError(
        OP,
        entry.name,
        `input '${entry.name}' has an open size ${describeValue(declared)}: give its height and width in options.resolution`,
      );
    }
    return d ?? wanted!;
  });
  return [batch, ...shape];
}

/** The model's inputs (`input_layers`, else every InputLayer; a Sequential's first layer when it carries the input shape) and outputs. */
function endpoints(entries: readonly KerasLayerEntry[], config: unknown, sequential: boolean): { inputs: KerasLayerEntry[]; outputs: string[] } {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const named = (names: string[], key: string): KerasLayerEntry[] =>
    names.map(
      (name) =>
        byName.get(name) ??
        (() => {
          throw new ValueError(OP, key, `config.${key} names '${name}', which is not a layer`);
        })(),
    );
  const inputLayers = endpointNames(config, 'input_layers');
  let inputs = inputLayers ? named(inputLayers, 'input_layers') : entries.filter((e) => e.className === 'InputLayer');
  if (sequential && inputs.length === 0 && entries[0] !== undefined) inputs = [entries[0]];
  if (inputs.length === 0) throw new ValueError(OP, 'modelTopology', 'the model has no input: no InputLayer and no input_layers');
  const outputLayers = sequential ? [entries[entries.length - 1]!.name] : endpointNames(config, 'output_layers');
  const read = new Set(entries.flatMap((e) => e.inbound));
  const outputs = outputLayers ?? entries.filter((e) => !read.has(e.name)).map((e) => e.name);
  named(outputs, 'output_layers');
  return { inputs, outputs };
}

/**
 * Reads a Keras model topology as TensorFlow.js's layers format stores it (`model.json`'s
 * `modelTopology`) into a sepconv model spec: functional models (`Model`/`Functional`, any
 * DAG, several inputs and outputs) and `Sequential`, in Keras 2 / tfjs-layers form or Keras 3
 * form (nested `{ module, class_name, config }` objects, `__keras_tensor__` inbound nodes,
 * `batch_shape`). Each class is a row of the layer table (`KERAS_LAYERS`): convolutions
 * (depthwise, separable, 1×1 as pointwise), BatchNormalization, ReLU, Activation (relu, relu6,
 * sigmoid, hard_sigmoid, hard_swish/hard_silu, softmax, linear), Rescaling, ZeroPadding2D
 * (taken into a following 'valid' convolution as explicit padding), pooling (windowed and
 * global, keepdims), Add/Subtract/Multiply, Concatenate, UpSampling2D (bilinear), Flatten,
 * Reshape, Dense, Dropout. Layers keep their Keras names (so the manifest's weights match),
 * except that a convolution or dense layer whose activation runs as a layer of its own is
 * `<layer>/<kind>` (its weights `<layer>/<kind>/kernel`; `loadLayersModel` renames them) and
 * the activation takes the Keras name. The spec's inputs are the InputLayers, its outputs
 * `output_layers` (a Sequential's last layer; without either, the layers nothing reads).
 * @throws UnsupportedError listing every layer that does not run, grouped by class;
 * ValueError / ShapeError naming the layer for malformed or inconsistent configs.
 */
export function kerasModelSpec(topology: unknown, options: KerasModelSpecOptions = {}): ModelSpec {
  return readKerasTopology(topology, options).spec;
}

/**
 * {@link kerasModelSpec}, and where a spec layer holds the weights of a Keras layer of another
 * name (`c/conv2d` for a Conv2D `c` whose sigmoid activation is the layer `c`): spec layer →
 * file layer, for the weight names to follow.
 */
export function readKerasTopology(
  topology: unknown,
  options: KerasModelSpecOptions = {},
): { spec: ModelSpec; weightSources: ReadonlyMap<string, string> } {
  const { className, config, format } = modelConfig(topology);
  if (!MODEL_CLASSES.has(className))
    throw new ValueError(OP, 'modelTopology', `the model's class_name must be Model, Functional or Sequential, got ${describeValue(className)}`);
  const sequential = className === 'Sequential';
  const entries = layerEntries(config, sequential);
  const byName = new Map<string, KerasLayerEntry>();
  for (const entry of entries) {
    if (byName.has(entry.name)) throw new ValueError(OP, entry.name, `two layers are named '${entry.name}'`);
    byName.set(entry.name, entry);
  }
  const { inputs, outputs } = endpoints(entries, config, sequential);
  const inboundOf = (name: string): string[] =>
    byName.get(name)!.inbound.map((source) => {
      if (!byName.has(source)) throw new ValueError(OP, name, `layer '${name}' reads '${source}', which is not a layer of the model`);
      return source;
    });
  const order = postOrder(
    outputs,
    inboundOf,
    (cycle) => new ValueError(OP, cycle[0]!, `the layers form a cycle: ${[...cycle, cycle[0]].map((n) => `'${n}'`).join(' -> ')}`),
  );
  const readers = new Map<string, number>();
  for (const name of [...order.flatMap((n) => byName.get(n)!.inbound), ...outputs]) readers.set(name, (readers.get(name) ?? 0) + 1);
  const builder = new SpecBuilder(OP, (part) => readers.get(part) ?? 0);
  const inputNames = new Set(inputs.map((e) => e.name));
  for (const entry of inputs) {
    // A Sequential's first layer may carry the input shape itself; its input is then named as Keras names it.
    const name = entry.className === 'InputLayer' ? entry.name : `${entry.name}_input`;
    builder.addInput(name, inputShape(entry, options));
  }
  for (const name of order) {
    const entry = byName.get(name)!;
    if (entry.className === 'InputLayer' && inputNames.has(name)) continue;
    if (builder.skips(name, entry.inbound)) continue;
    const lowering = kerasLowering(entry.className);
    if (lowering === undefined || entry.inboundProblem !== undefined) {
      builder.refuse({ kind: entry.className, name, ...(entry.inboundProblem === undefined ? {} : { reason: entry.inboundProblem }) });
      continue;
    }
    const reads = sequential && inputNames.has(name) ? [`${name}_input`] : entry.inbound;
    builder.lower(name, entry.className, `layer '${name}' (${entry.className})`, () => {
      const tensors = reads.map(
        (source) =>
          builder.tensorOf(source) ??
          (() => {
            throw new ValueError(OP, name, `layer '${name}' reads '${source}', which produced no tensor`);
          })(),
      );
      lowering(new KerasLayerContext(name, entry.className, entry.config, tensors, builder, format));
    });
  }
  const modelName = typeof (config as { name?: unknown } | undefined)?.name === 'string' ? (config as { name: string }).name : 'keras_model';
  return {
    spec: builder.finish(
      modelName,
      'layer',
      outputs.map((name) => ({ name, part: name })),
    ),
    weightSources: builder.weightSources,
  };
}
