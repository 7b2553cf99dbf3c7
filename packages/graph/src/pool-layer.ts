import { convGeometry, describeValue, ValueError, type Padding } from '@sepconv/tensor';
import { activationShape, booleanOption, checkLayerOptions, kernelSizePair, layerInputs, layerName, storedPadding } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/** Average or max pooling over windows of an NHWC input, or over the whole image (`global`). */
export interface PoolLayer extends LayerBase {
  readonly type: 'pool';
  readonly mode: 'avg' | 'max';
  /** Pools each channel over the whole `height × width`; `poolSize` is then `[height, width]`. */
  readonly global: boolean;
  /** `[height, width]` of the window. */
  readonly poolSize: readonly [number, number];
  /** `[strideHeight, strideWidth]`. */
  readonly strides: readonly [number, number];
  readonly padding: Padding;
  /**
   * Global pooling only: true gives `[batch, 1, 1, channels]` (what MobileNetV1's 1×1
   * classifier convolution takes), false `[batch, channels]`.
   */
  readonly keepDims: boolean;
}

/** Options of {@link poolLayer}. */
export interface PoolLayerOptions {
  /** Default Keras's: `'global_average_pooling2d'`, `'max_pooling2d'`, … */
  name?: string | undefined;
  /** NHWC `[batch, height, width, channels]`. */
  inputShape: readonly number[];
  /** One tensor name; default the previous layer's output (filled in by `modelSpec`). */
  inputs?: readonly string[] | undefined;
  mode: 'avg' | 'max';
  /** Default false. */
  global?: boolean | undefined;
  /** Window size; required unless `global`. */
  poolSize?: number | readonly [number, number] | undefined;
  /** Default `poolSize`, as Keras. Ignored when `global`. */
  strides?: number | readonly [number, number] | undefined;
  /** Default `'valid'`. Ignored when `global`. */
  padding?: Padding | undefined;
  /** Default false. Only for `global`. */
  keepDims?: boolean | undefined;
}

function defaultName(mode: 'avg' | 'max', global: boolean): string {
  const kind = mode === 'avg' ? 'average' : 'max';
  return global ? `global_${kind}_pooling2d` : `${kind}_pooling2d`;
}

/**
 * Describes a pooling layer; windowed output shapes come from `convGeometry` (pooling is a
 * depthwise window with the same padding rules).
 * @throws ShapeError / ValueError naming `poolLayer` and the option at fault.
 */
export function poolLayer(options: PoolLayerOptions): PoolLayer {
  const op = 'poolLayer';
  checkLayerOptions(op, options);
  if (options.mode !== 'avg' && options.mode !== 'max') {
    throw new ValueError(op, 'options.mode', `options.mode must be 'avg' or 'max', got ${describeValue(options.mode)}`);
  }
  const global = booleanOption(op, 'options.global', options.global, false);
  const keepDims = booleanOption(op, 'options.keepDims', options.keepDims, false);
  const name = layerName(op, options.name, defaultName(options.mode, global));
  const inputShape = activationShape(op, options.inputShape, 4, 'rank 4 [batch, height, width, channels] (NHWC)');
  if (inputShape.length !== 4) {
    throw new ValueError(
      op,
      'options.inputShape',
      `options.inputShape must be rank 4 [batch, height, width, channels] (NHWC), got rank ${inputShape.length}`,
    );
  }
  const [batch, height, width, channels] = inputShape as [number, number, number, number];
  if (global) {
    return {
      type: 'pool',
      name,
      ...layerInputs(op, options.inputs, 1),
      inputShape,
      outputShape: keepDims ? [batch, 1, 1, channels] : [batch, channels],
      mode: options.mode,
      global,
      poolSize: [height, width],
      strides: [1, 1],
      padding: 'valid',
      keepDims,
    };
  }
  if (keepDims) {
    throw new ValueError(op, 'options.keepDims', 'options.keepDims applies only to global pooling (options.global: true)');
  }
  const [poolHeight, poolWidth] = kernelSizePair(op, options.poolSize, 'options.poolSize');
  const g = convGeometry(
    {
      kind: 'depthwiseConv2d',
      inputShape,
      kernelHeight: poolHeight,
      kernelWidth: poolWidth,
      strides: options.strides ?? [poolHeight, poolWidth],
      padding: options.padding,
    },
    op,
    'options.inputShape',
  );
  return {
    type: 'pool',
    name,
    ...layerInputs(op, options.inputs, 1),
    inputShape,
    outputShape: [g.batch, g.outHeight, g.outWidth, g.outChannels],
    mode: options.mode,
    global,
    poolSize: [poolHeight, poolWidth],
    strides: [g.strideHeight, g.strideWidth],
    padding: storedPadding(options.padding),
    keepDims,
  };
}
