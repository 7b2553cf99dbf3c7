import { describeValue, formatShape, ShapeError, ValueError } from '@sepconv/tensor';
import { activationShape, checkLayerOptions } from './layer-checks.js';
import { layerInputShapes, type GraphLayer, type LayerSpec, type LayerType } from './layer-spec.js';
import { topologicalOrder } from './topological-order.js';

/** A model input: a named tensor the caller passes to `predict`. */
export interface ModelInput {
  readonly name: string;
  /** `[batch, …]`, NHWC `[batch, height, width, channels]` for an image. */
  readonly shape: readonly number[];
}

/**
 * A network as plain data: a directed acyclic graph of named tensors. The model inputs and
 * every layer's output are tensors, named by the input or the layer; each layer names the
 * tensors it consumes (`inputs`), and `outputs` names what the model returns.
 * JSON-serialisable; `modelSpec(JSON.parse(JSON.stringify(spec)))` gives the same spec.
 */
export interface ModelSpec {
  /** e.g. Keras's `'mobilenet_1.00_224'`. */
  readonly name: string;
  /** One or more; their names are distinct from every layer's. */
  readonly inputs: readonly ModelInput[];
  /** Names of the layers whose outputs the model returns, in the order `predict` lists them. */
  readonly outputs: readonly string[];
  /**
   * In an order where every layer comes after the layers it consumes (the given order when it
   * already is one), each with its `inputs` resolved.
   */
  readonly layers: readonly GraphLayer[];
  /**
   * How the caller lays out rank-4 tensors at the model's edges. Absent or `'nhwc'`: as the
   * layers, NHWC. `'nchw'` (models read from ONNX for PyTorch users): the model takes each
   * rank-4 input as `[batch, channels, height, width]` and returns rank-4 outputs so; the
   * runtime transposes at the edges, while `inputs[].shape` and every layer stay NHWC.
   */
  readonly layout?: ModelLayout;
}

/** The layout of a model's rank-4 inputs and outputs as its caller sees them. */
export type ModelLayout = 'nhwc' | 'nchw';

/** Options of {@link modelSpec}. */
export interface ModelSpecOptions {
  name: string;
  /** The model inputs. Give this, or `inputShape` (and `inputName`) for a single input. */
  inputs?: readonly ModelInput[] | undefined;
  /** Shorthand for `inputs: [{ name: inputName, shape: inputShape }]`. */
  inputShape?: readonly number[] | undefined;
  /** With `inputShape`; default `'input'`. */
  inputName?: string | undefined;
  /** Default: the last listed layer's output alone. */
  outputs?: readonly string[] | undefined;
  /**
   * A layer without `inputs` consumes the output of the layer listed before it (the first
   * model input for the first layer); a layer of several inputs must name them.
   */
  layers: readonly LayerSpec[];
  /** Default `'nhwc'`; see {@link ModelSpec.layout}. */
  layout?: ModelLayout;
}

/** Every layer kind; `satisfies` makes a kind added to `LayerSpec` but not here a compile error. */
const LAYER_KINDS = {
  conv2d: true,
  depthwiseConv2d: true,
  pointwiseConv2d: true,
  separableConv2d: true,
  batchNorm: true,
  activation: true,
  pool: true,
  dense: true,
  add: true,
  sub: true,
  mul: true,
  div: true,
  concat: true,
  pad: true,
  resizeBilinear: true,
  rescaling: true,
  dropout: true,
  reshape: true,
} satisfies Record<LayerType, true>;

const OP = 'modelSpec';
/** Layers of a cycle an error message names before it elides the rest. */
const MAX_CYCLE_SHOWN = 8;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function modelInputs(options: ModelSpecOptions): ModelInput[] {
  if (options.inputs === undefined) {
    const name = options.inputName ?? 'input';
    if (!nonEmptyString(name)) {
      throw new ValueError(OP, 'options.inputName', `options.inputName must be a non-empty string, got ${describeValue(options.inputName)}`);
    }
    return [{ name, shape: activationShape(OP, options.inputShape, 1, '[batch, ...]') }];
  }
  if (options.inputShape !== undefined || options.inputName !== undefined) {
    throw new ValueError(OP, 'options.inputs', 'give options.inputs, or options.inputShape (and inputName) for a single input, not both');
  }
  const inputs: unknown = options.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new ValueError(OP, 'options.inputs', `options.inputs must be a non-empty array of { name, shape }, got ${describeValue(inputs)}`);
  }
  return inputs.map((input: unknown, index) => {
    const argument = `options.inputs[${index}]`;
    checkLayerOptions(OP, input);
    const { name, shape } = input as Partial<ModelInput>;
    if (!nonEmptyString(name))
      throw new ValueError(OP, `${argument}.name`, `${argument}.name must be a non-empty string, got ${describeValue(name)}`);
    return { name, shape: activationShape(OP, shape, 1, '[batch, ...]', `${argument}.shape`) };
  });
}

/** A layer's `inputs`, given or filled in with `previous`. */
function resolveInputs(layer: LayerSpec, label: string, argument: string, previous: string): string[] {
  const count = layerInputShapes(layer).length;
  const given: unknown = layer.inputs;
  if (given === undefined) {
    if (count !== 1) {
      throw new ValueError(
        OP,
        `${argument}.inputs`,
        `${label} takes ${count} inputs: name them in its inputs (only a one-input layer defaults to the previous layer)`,
      );
    }
    return [previous];
  }
  if (!Array.isArray(given) || given.length !== count || !given.every(nonEmptyString)) {
    throw new ValueError(OP, `${argument}.inputs`, `${label}: inputs must be ${count} tensor name(s), got ${describeValue(given)}`);
  }
  return [...given];
}

function checkLayer(layer: unknown, argument: string): asserts layer is LayerSpec {
  const kind = (layer as { type?: unknown } | null)?.type;
  if (typeof layer !== 'object' || layer === null || typeof kind !== 'string' || !Object.hasOwn(LAYER_KINDS, kind)) {
    throw new ValueError(
      OP,
      argument,
      `${argument} must be a layer spec with type one of ${Object.keys(LAYER_KINDS).join(', ')}, got ${describeValue(layer)}`,
    );
  }
  const { name } = layer as { name?: unknown };
  if (!nonEmptyString(name)) throw new ValueError(OP, `${argument}.name`, `${argument}.name must be a non-empty string, got ${describeValue(name)}`);
}

/**
 * Assembles layer specs into a graph and checks it: input and layer names unique, every
 * layer's inputs defined (model inputs or layers, in any order), no cycles, each input's shape
 * equal to the one the layer was built for (`inputShape`, or `inputShapes` for element-wise and
 * concat layers), every output a layer.
 * @throws ShapeError / ValueError naming `modelSpec` and the layer at fault (`layers[3] ('bn')`).
 */
export function modelSpec(options: ModelSpecOptions): ModelSpec {
  checkLayerOptions(OP, options);
  if (!nonEmptyString(options.name)) {
    throw new ValueError(OP, 'options.name', `options.name must be a non-empty string, got ${describeValue(options.name)}`);
  }
  const inputs = modelInputs(options);
  if (!Array.isArray(options.layers) || options.layers.length === 0) {
    throw new ValueError(OP, 'options.layers', 'options.layers must be a non-empty array of layer specs');
  }
  const shapes = new Map<string, readonly number[]>();
  for (const [index, input] of inputs.entries()) {
    if (shapes.has(input.name))
      throw new ValueError(
        OP,
        `options.inputs[${index}].name`,
        `options.inputs[${index}]: the name '${input.name}' is already used by another input`,
      );
    shapes.set(input.name, input.shape);
  }
  const labels = new Map<string, string>();
  const argumentOf = new Map<string, string>();
  for (const [index, layer] of options.layers.entries()) {
    const argument = `layers[${index}]`;
    checkLayer(layer, argument);
    if (labels.has(layer.name) || shapes.has(layer.name)) {
      throw new ValueError(
        OP,
        `${argument}.name`,
        `${argument} ('${layer.name}'): the name is already used by ${shapes.has(layer.name) ? 'a model input' : labels.get(layer.name)}`,
      );
    }
    labels.set(layer.name, `${argument} ('${layer.name}')`);
    argumentOf.set(layer.name, argument);
  }
  const resolved: GraphLayer[] = options.layers.map((layer, index) => {
    const argument = `layers[${index}]`;
    const previous = index === 0 ? inputs[0]!.name : options.layers[index - 1]!.name;
    const layerInputs = resolveInputs(layer, labels.get(layer.name)!, argument, previous);
    for (const source of layerInputs) {
      if (!shapes.has(source) && !labels.has(source)) {
        throw new ValueError(OP, `${argument}.inputs`, `${labels.get(layer.name)}: input '${source}' is neither a model input nor a layer`);
      }
    }
    return { ...layer, inputs: layerInputs } as GraphLayer;
  });
  const ordered = topologicalOrder(resolved, (cycle) => {
    const first = argumentOf.get(cycle[0]!)!;
    const shown = cycle.length > MAX_CYCLE_SHOWN ? [...cycle.slice(0, MAX_CYCLE_SHOWN), '…'] : [...cycle, cycle[0]!];
    const length = cycle.length > MAX_CYCLE_SHOWN ? ` (${cycle.length} layers)` : '';
    return new ValueError(
      OP,
      `${first}.inputs`,
      `the layers form a cycle: ${shown.map((name) => (name === '…' ? name : `'${name}'`)).join(' → ')}${length}`,
    );
  });
  for (const layer of ordered) {
    const expected = layerInputShapes(layer);
    for (const [i, source] of layer.inputs.entries()) {
      const shape = shapes.get(source)!;
      if (!sameShape(shape, expected[i]!)) {
        const what = expected.length === 1 ? 'inputShape' : `inputShapes[${i}]`;
        throw new ShapeError(
          OP,
          argumentOf.get(layer.name)!,
          `${labels.get(layer.name)}: input '${source}' has shape ${formatShape(shape)}, but the layer's ${what} is ${formatShape(expected[i]!)}`,
        );
      }
    }
    shapes.set(layer.name, layer.outputShape);
  }
  const layout = options.layout ?? 'nhwc';
  if (layout !== 'nhwc' && layout !== 'nchw') {
    throw new ValueError(OP, 'options.layout', `options.layout must be 'nhwc' or 'nchw', got ${describeValue(options.layout)}`);
  }
  return { name: options.name, inputs, outputs: modelOutputs(options, labels), layers: ordered, ...(layout === 'nchw' ? { layout } : {}) };
}

function modelOutputs(options: ModelSpecOptions, layers: ReadonlyMap<string, string>): string[] {
  if (options.outputs === undefined) return [options.layers[options.layers.length - 1]!.name];
  const outputs: unknown = options.outputs;
  if (!Array.isArray(outputs) || outputs.length === 0 || !outputs.every(nonEmptyString)) {
    throw new ValueError(OP, 'options.outputs', `options.outputs must be a non-empty array of layer names, got ${describeValue(outputs)}`);
  }
  for (const [index, name] of outputs.entries()) {
    if (!layers.has(name)) throw new ValueError(OP, `options.outputs[${index}]`, `options.outputs[${index}]: '${name}' is not a layer of the model`);
    if (outputs.indexOf(name) !== index)
      throw new ValueError(OP, `options.outputs[${index}]`, `options.outputs[${index}]: '${name}' is listed twice`);
  }
  return [...outputs];
}
