import { describeValue, formatShape, ShapeError, ValueError } from '@sepconv/tensor';
import { activationShape, checkLayerOptions } from './layer-checks.js';
import type { LayerSpec, LayerType } from './layer-spec.js';

/**
 * A network as plain data. Layers run in list order; each consumes the output of the layer
 * before it (the model input for the first), except an `add`, which names its two inputs.
 * That covers chains with residual connections (MobileNet V1 and V2).
 */
export interface ModelSpec {
  /** e.g. Keras's `'mobilenet_1.00_224'`. */
  readonly name: string;
  /** The name an `add` layer uses to refer to the model input. Default `'input'`. */
  readonly inputName: string;
  /** NHWC `[batch, height, width, channels]`. */
  readonly inputShape: readonly number[];
  /** The last layer's output shape. */
  readonly outputShape: readonly number[];
  readonly layers: readonly LayerSpec[];
}

/** Options of {@link modelSpec}. */
export interface ModelSpecOptions {
  name: string;
  /** Default `'input'`. */
  inputName?: string;
  inputShape: readonly number[];
  layers: readonly LayerSpec[];
}

const LAYER_TYPES: readonly LayerType[] = [
  'conv2d',
  'depthwiseConv2d',
  'pointwiseConv2d',
  'separableConv2d',
  'batchNorm',
  'activation',
  'pool',
  'dense',
  'add',
  'dropout',
  'reshape',
];

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Assembles layer specs into a model, checking that they fit together: unique names, each
 * layer's input shape equal to the output shape it consumes, an `add`'s inputs defined
 * earlier with its shape.
 * @throws ShapeError / ValueError naming `modelSpec` and the layer at fault (`layers[3]`).
 */
export function modelSpec(options: ModelSpecOptions): ModelSpec {
  const op = 'modelSpec';
  checkLayerOptions(op, options);
  if (typeof options.name !== 'string' || options.name.length === 0) {
    throw new ValueError(op, 'options.name', `options.name must be a non-empty string, got ${describeValue(options.name)}`);
  }
  const inputName = options.inputName ?? 'input';
  if (typeof inputName !== 'string' || inputName.length === 0) {
    throw new ValueError(op, 'options.inputName', `options.inputName must be a non-empty string, got ${describeValue(inputName)}`);
  }
  const inputShape = activationShape(op, options.inputShape, 1, '[batch, ...]');
  if (!Array.isArray(options.layers) || options.layers.length === 0) {
    throw new ValueError(op, 'options.layers', 'options.layers must be a non-empty array of layer specs');
  }
  const outputs = new Map<string, readonly number[]>([[inputName, inputShape]]);
  let previous: readonly number[] = inputShape;
  for (const [index, layer] of options.layers.entries()) {
    const argument = `layers[${index}]`;
    if (typeof layer !== 'object' || layer === null || !LAYER_TYPES.includes(layer.type)) {
      throw new ValueError(op, argument, `${argument} must be a layer spec with type one of ${LAYER_TYPES.join(', ')}, got ${describeValue(layer)}`);
    }
    const label = `${argument} ('${layer.name}')`;
    if (outputs.has(layer.name)) {
      throw new ValueError(op, argument, `${label}: the name is already used by the input or an earlier layer`);
    }
    if (layer.type === 'add') {
      for (const source of layer.inputs) {
        const shape = outputs.get(source);
        if (shape === undefined) {
          throw new ValueError(op, argument, `${label}: input '${source}' is not the model input or an earlier layer`);
        }
        if (!sameShape(shape, layer.inputShape)) {
          throw new ShapeError(op, argument, `${label}: input '${source}' has shape ${formatShape(shape)}, expected ${formatShape(layer.inputShape)}`);
        }
      }
    } else if (!sameShape(previous, layer.inputShape)) {
      throw new ShapeError(op, argument, `${label}: inputShape ${formatShape(layer.inputShape)} does not match the previous output ${formatShape(previous)}`);
    }
    outputs.set(layer.name, layer.outputShape);
    previous = layer.outputShape;
  }
  return { name: options.name, inputName, inputShape, outputShape: [...previous], layers: [...options.layers] };
}
