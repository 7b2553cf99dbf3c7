import {
  describeValue,
  SepconvError,
  UnsupportedError,
  ValueError,
  type Activation,
  type Padding,
} from '@sepconv/tensor';
import {
  activationLayer,
  addLayer,
  batchNormLayer,
  conv2dLayer,
  denseLayer,
  depthwiseConv2dLayer,
  dropoutLayer,
  modelSpec,
  pointwiseConv2dLayer,
  poolLayer,
  reshapeLayer,
  separableConv2dLayer,
  type LayerActivation,
  type LayerSpec,
  type ModelSpec,
} from '@sepconv/graph';
import { errorAt } from './error-at.js';

/** Options of {@link kerasModelSpec}. */
export interface KerasModelSpecOptions {
  /** The batch of the spec's shapes (Keras leaves it open). Default 1. */
  batch?: number | undefined;
}

const OP = 'kerasModelSpec';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pair(layer: string, key: string, value: unknown, fallback?: [number, number]): [number, number] {
  if (value === undefined && fallback) return fallback;
  const list = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(list) || list.length !== 2 || !list.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
    throw new ValueError(OP, layer, `layer '${layer}': ${key} must be an integer or two, got ${describeValue(value)}`);
  }
  return [list[0], list[1]];
}

function kerasPadding(layer: string, value: unknown): 'same' | 'valid' {
  if (value !== 'same' && value !== 'valid') throw new UnsupportedError(OP, layer, `layer '${layer}': padding must be 'same' or 'valid', got ${describeValue(value)}`);
  return value;
}

function kerasActivation(layer: string, value: unknown): Extract<LayerActivation, Activation | 'softmax'> {
  const name = value ?? 'linear';
  if (name === 'linear' || name === 'relu' || name === 'relu6' || name === 'softmax') return name;
  throw new UnsupportedError(OP, layer, `layer '${layer}': activation ${describeValue(value)} is not one sepconv runs (linear, relu, relu6, softmax)`);
}

function convActivation(layer: string, value: unknown): Activation {
  const activation = kerasActivation(layer, value);
  if (activation === 'softmax') throw new UnsupportedError(OP, layer, `layer '${layer}': a convolution cannot end in softmax`);
  return activation;
}

/** The names of the layers whose outputs feed `layer` (Keras 2's `inbound_nodes` format). */
function inboundNames(layer: Json, name: string): string[] {
  const nodes = layer.inbound_nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) return [];
  if (nodes.length > 1) throw new UnsupportedError(OP, name, `layer '${name}' is called ${nodes.length} times (shared layers do not run)`);
  const node = nodes[0];
  if (!Array.isArray(node)) throw new UnsupportedError(OP, name, `layer '${name}': inbound_nodes is not in the Keras 2 format [[["layer", 0, 0, {}], …]]`);
  return node.map((entry: unknown) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') throw new ValueError(OP, name, `layer '${name}': malformed inbound node ${describeValue(entry)}`);
    return entry[0];
  });
}

/**
 * Reads a Keras model topology as TensorFlow.js's layers format stores it (`model.json`'s
 * `modelTopology`: a functional `Model`/`Functional` or a `Sequential`, Keras 2 config) into a
 * sepconv model spec: Conv2D (1×1 stride 1 as pointwise), DepthwiseConv2D, SeparableConv2D,
 * BatchNormalization, ReLU/Activation, ZeroPadding2D (folded into the next layer's explicit
 * padding), Add, average/max pooling, Flatten/Reshape, Dense, Dropout. The layers must form a
 * chain in file order, each fed by the one before it, except Add.
 * @throws ValueError / UnsupportedError naming `kerasModelSpec` and the layer at fault; the
 * spec builders' ShapeError when the file's shapes do not fit together.
 */
export function kerasModelSpec(topology: unknown, options: KerasModelSpecOptions = {}): ModelSpec {
  if (!isRecord(topology)) throw new ValueError(OP, 'modelTopology', 'modelTopology must be an object');
  const model = isRecord(topology.model_config) ? topology.model_config : topology;
  const config = model.config;
  const className = model.class_name;
  const rawLayers = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
  if (!Array.isArray(rawLayers) || rawLayers.length === 0) throw new ValueError(OP, 'modelTopology', `modelTopology has no layers (class ${describeValue(className)})`);
  const sequential = className === 'Sequential';
  const batch = options.batch ?? 1;

  const layers: LayerSpec[] = [];
  let inputName = 'input';
  let inputShape: number[] | undefined;
  let previous: string | undefined;
  let shape: readonly number[] = [];
  let pendingPad: { name: string; padding: Padding } | undefined;

  // One layer read into a spec; a builder's error is re-thrown naming the layer.
  const readLayer = (raw: unknown, index: number): void => {
    if (!isRecord(raw) || typeof raw.class_name !== 'string' || !isRecord(raw.config)) {
      throw new ValueError(OP, `layers[${index}]`, `layers[${index}] must be { class_name, config }`);
    }
    const cfg = raw.config;
    const name = typeof raw.name === 'string' ? raw.name : typeof cfg.name === 'string' ? cfg.name : `layer_${index}`;
    const kind = raw.class_name;
    const inputShapeOf = (): readonly number[] => shape;
    const batchInput = cfg.batch_input_shape ?? cfg.batch_shape;
    if (kind === 'InputLayer' || (inputShape === undefined && Array.isArray(batchInput))) {
      if (!Array.isArray(batchInput) || batchInput.length !== 4 || !batchInput.slice(1).every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)) {
        throw new UnsupportedError(OP, name, `layer '${name}': the input must be [batch, height, width, channels] with fixed sizes, got ${describeValue(batchInput)}`);
      }
      inputShape = [batch, ...(batchInput.slice(1) as number[])];
      shape = inputShape;
      if (kind === 'InputLayer') {
        inputName = name;
        previous = name;
        return;
      }
      inputName = `${name}_input`;
      previous = inputName;
    }
    if (inputShape === undefined) throw new ValueError(OP, name, `layer '${name}' comes before the model input is defined`);
    const inbound = sequential ? [previous!] : inboundNames(raw, name);
    if (kind !== 'Add' && (inbound.length !== 1 || inbound[0] !== previous)) {
      throw new UnsupportedError(OP, name, `layer '${name}' reads ${describeValue(inbound)}, not the layer before it ('${previous}'): only chains with residual adds run`);
    }
    let padding: Padding | undefined;
    if (pendingPad) {
      padding = pendingPad.padding;
      pendingPad = undefined;
    }
    const layerPadding = (): Padding => {
      const own = kerasPadding(name, cfg.padding);
      if (padding === undefined) return own;
      if (own !== 'valid') throw new UnsupportedError(OP, name, `layer '${name}' pads 'same' after a ZeroPadding2D`);
      return padding;
    };
    let layer: LayerSpec | undefined;
    switch (kind) {
      case 'ZeroPadding2D': {
        const value = cfg.padding;
        let amounts: [number, number, number, number];
        if (Array.isArray(value) && value.length === 2 && Array.isArray(value[0]) && Array.isArray(value[1])) {
          const [top, bottom] = pair(name, 'padding', value[0]);
          const [left, right] = pair(name, 'padding', value[1]);
          amounts = [top, bottom, left, right];
        } else {
          const [h, w] = pair(name, 'padding', value);
          amounts = [h, h, w, w];
        }
        pendingPad = { name, padding: { top: amounts[0], bottom: amounts[1], left: amounts[2], right: amounts[3] } };
        previous = name;
        return;
      }
      case 'Conv2D': {
        const kernelSize = pair(name, 'kernel_size', cfg.kernel_size);
        const strides = pair(name, 'strides', cfg.strides, [1, 1]);
        const dilations = pair(name, 'dilation_rate', cfg.dilation_rate, [1, 1]);
        const common = { name, inputShape: inputShapeOf(), outChannels: cfg.filters as number, useBias: cfg.use_bias !== false, activation: convActivation(name, cfg.activation) };
        const pointwise = kernelSize[0] === 1 && kernelSize[1] === 1 && strides[0] === 1 && strides[1] === 1 && padding === undefined;
        layer = pointwise ? pointwiseConv2dLayer(common) : conv2dLayer({ ...common, kernelSize, strides, dilations, padding: layerPadding() });
        break;
      }
      case 'DepthwiseConv2D':
        layer = depthwiseConv2dLayer({
          name,
          inputShape: inputShapeOf(),
          kernelSize: pair(name, 'kernel_size', cfg.kernel_size),
          channelMultiplier: (cfg.depth_multiplier ?? 1) as number,
          strides: pair(name, 'strides', cfg.strides, [1, 1]),
          dilations: pair(name, 'dilation_rate', cfg.dilation_rate, [1, 1]),
          padding: layerPadding(),
          useBias: cfg.use_bias !== false,
          activation: convActivation(name, cfg.activation),
        });
        break;
      case 'SeparableConv2D':
        layer = separableConv2dLayer({
          name,
          inputShape: inputShapeOf(),
          kernelSize: pair(name, 'kernel_size', cfg.kernel_size),
          outChannels: cfg.filters as number,
          channelMultiplier: (cfg.depth_multiplier ?? 1) as number,
          strides: pair(name, 'strides', cfg.strides, [1, 1]),
          dilations: pair(name, 'dilation_rate', cfg.dilation_rate, [1, 1]),
          padding: layerPadding(),
          useBias: cfg.use_bias !== false,
          activation: convActivation(name, cfg.activation),
        });
        break;
      case 'BatchNormalization': {
        const axis = Array.isArray(cfg.axis) ? cfg.axis[0] : cfg.axis;
        if (axis !== undefined && axis !== -1 && axis !== shape.length - 1) {
          throw new UnsupportedError(OP, name, `layer '${name}': batch norm over axis ${describeValue(cfg.axis)}; only the channel (last) axis runs`);
        }
        layer = batchNormLayer({ name, inputShape: inputShapeOf(), epsilon: (cfg.epsilon ?? 1e-3) as number, center: cfg.center !== false, scale: cfg.scale !== false });
        break;
      }
      case 'ReLU': {
        if ((cfg.negative_slope ?? 0) !== 0 || (cfg.threshold ?? 0) !== 0) {
          throw new UnsupportedError(OP, name, `layer '${name}': leaky or thresholded ReLU does not run`);
        }
        const max = cfg.max_value;
        if (max !== undefined && max !== null && max !== 6) throw new UnsupportedError(OP, name, `layer '${name}': ReLU capped at ${describeValue(max)}; only 6 (ReLU6) runs`);
        layer = activationLayer({ name, inputShape: inputShapeOf(), activation: max === 6 ? 'relu6' : 'relu' });
        break;
      }
      case 'Activation':
        layer = activationLayer({ name, inputShape: inputShapeOf(), activation: kerasActivation(name, cfg.activation) });
        break;
      case 'Add': {
        if (inbound.length !== 2) throw new UnsupportedError(OP, name, `layer '${name}': adds of ${inbound.length} inputs do not run; only 2`);
        layer = addLayer({ name, inputShape: inputShapeOf(), inputs: [inbound[0]!, inbound[1]!] });
        break;
      }
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D':
        layer = poolLayer({ name, inputShape: inputShapeOf(), mode: kind === 'GlobalMaxPooling2D' ? 'max' : 'avg', global: true, keepDims: cfg.keepdims === true });
        break;
      case 'AveragePooling2D':
      case 'MaxPooling2D': {
        const poolSize = pair(name, 'pool_size', cfg.pool_size, [2, 2]);
        layer = poolLayer({
          name,
          inputShape: inputShapeOf(),
          mode: kind === 'MaxPooling2D' ? 'max' : 'avg',
          poolSize,
          strides: cfg.strides === null || cfg.strides === undefined ? poolSize : pair(name, 'strides', cfg.strides),
          padding: layerPadding(),
        });
        break;
      }
      case 'Flatten':
        layer = reshapeLayer({ name, inputShape: inputShapeOf(), targetShape: [shape.slice(1).reduce((a, b) => a * b, 1)] });
        break;
      case 'Reshape':
        if (!Array.isArray(cfg.target_shape)) throw new ValueError(OP, name, `layer '${name}': target_shape must be a list`);
        layer = reshapeLayer({ name, inputShape: inputShapeOf(), targetShape: cfg.target_shape as number[] });
        break;
      case 'Dense':
        layer = denseLayer({ name, inputShape: inputShapeOf(), units: cfg.units as number, useBias: cfg.use_bias !== false, activation: kerasActivation(name, cfg.activation) });
        break;
      case 'Dropout':
        layer = dropoutLayer({ name, inputShape: inputShapeOf(), rate: (cfg.rate ?? 0) as number });
        break;
      default:
        throw new UnsupportedError(OP, name, `layer '${name}' of class '${kind}' does not run`);
    }
    if (padding !== undefined && !['conv2d', 'depthwiseConv2d', 'separableConv2d', 'pool'].includes(layer.type)) {
      throw new UnsupportedError(OP, name, `layer '${name}' follows a ZeroPadding2D but cannot take its padding`);
    }
    layers.push(layer);
    shape = layer.outputShape;
    previous = name;
  };
  for (const [index, raw] of rawLayers.entries()) {
    try {
      readLayer(raw, index);
    } catch (error) {
      const name = isRecord(raw) && typeof raw.name === 'string' ? raw.name : `layers[${index}]`;
      throw errorAt(error, OP, name, `layer '${name}'`);
    }
  }
  if (pendingPad) throw new UnsupportedError(OP, pendingPad.name, `ZeroPadding2D '${pendingPad.name}' ends the model`);
  const modelName = isRecord(config) && typeof config.name === 'string' ? config.name : 'keras_model';
  try {
    return modelSpec({ name: modelName, inputName, inputShape: inputShape!, layers });
  } catch (error) {
    if (error instanceof SepconvError) throw new ValueError(OP, error.argument, `the layers do not fit together: ${error.message}`);
    throw error;
  }
}
