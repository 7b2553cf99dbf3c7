import { describeValue, ShapeError, sizeOf, ValueError, type Conv2dGeometry } from '@sepconv/tensor';
import { layerGeometry, layerInputShapes, layerWeights, separableLayerGeometry, type LayerSpec, type LayerType } from '@sepconv/graph';
import { checkCostDType, DTYPE_BYTES, type CostDType } from './cost-dtype.js';

/** Bytes of one float32 value (`DTYPE_BYTES.float32`): a float32 count moves 4 B per activation and parameter. */
export const FLOAT32_BYTES = 4;

/** Parameter counts of a layer or model. */
export interface ParamCount {
  /** As Keras counts them: conv and dense weights, biases, four batch-norm values per channel. */
  readonly total: number;
  /** `total` without the batch-norm moving mean and variance. */
  readonly trainable: number;
  /** Conv and dense weights only, no biases, no batch norm: the MobileNet paper's count. */
  readonly weights: number;
}

/** How {@link layerCost} counts a layer. */
export interface LayerCostOptions {
  /** `'int8'` counts it as a quantized model runs it (see {@link CostDType}); default `'float32'`. */
  readonly dtype?: CostDType | undefined;
}

/** What one layer costs, counted the way the MobileNet papers and Keras do. */
export interface LayerCost {
  readonly name: string;
  readonly type: LayerType;
  /** The number format the bytes are counted in; an int8 layer's arithmetic runs at the device's int8 peak. */
  readonly dtype: CostDType;
  /**
   * Multiply-adds of the convolutions and dense products (the papers' "Mult-Adds"), the 1×1
   * convolutions of a squeeze-and-excitation block included; zero for batch norm, activations
   * (hard-swish and sigmoid too), pooling, element-wise add/sub/mul/div (SE's channel-wise
   * multiply too), concat, pad and bilinear resize, which the MobileNet papers do not count.
   */
  readonly multAdds: number;
  /** `2 × multAdds`. */
  readonly flops: number;
  readonly params: ParamCount;
  /**
   * Input activations (every input of an element-wise or concat layer, and an element-wise
   * layer's constant operand) plus every parameter, at the bytes of `dtype` (see `DTYPE_BYTES`).
   */
  readonly bytesRead: number;
  /** The parameters' share of `bytesRead`: the layer's size in a saved model (kernels, biases, batch norm, requantization). */
  readonly paramBytes: number;
  /** Output activations, at the bytes of `dtype`. */
  readonly bytesWritten: number;
  /** `bytesRead + bytesWritten`. */
  readonly bytes: number;
  /** `flops / bytes` in FLOP per byte; 0 for a layer that moves no data (reshape, dropout). */
  readonly arithmeticIntensity: number;
  /** Counted with `modelCost(spec, { fused: true })`: the layer whose kernel this one runs in (it then moves no data). */
  readonly fusedInto?: string;
}

function convMultAdds(g: Conv2dGeometry): number {
  // Depthwise: each output channel sees one input channel, so there is no inChannels factor.
  const perOutput = g.kind === 'depthwiseConv2d' ? g.kernelHeight * g.kernelWidth : g.kernelHeight * g.kernelWidth * g.inChannels;
  return g.batch * g.outHeight * g.outWidth * g.outChannels * perOutput;
}

interface Counts {
  multAdds: number;
  /** Activation elements read (both inputs of an add) and written. */
  elementsRead: number;
  elementsWritten: number;
  /** Output channels of the layer's kernels (both steps of a separable one): each has its own requantization in int8. */
  kernelChannels?: number;
}

/**
 * Parameters from the layer's weight schema (`layerWeights` in `@sepconv/graph`, which random
 * weights and weight loading read too): every weight in `total`, the trainable ones in
 * `trainable`, the kernels in `weights`.
 */
function paramCount(layer: LayerSpec): ParamCount {
  let total = 0;
  let trainable = 0;
  let weights = 0;
  for (const weight of layerWeights(layer)) {
    // A constant operand is data the layer reads (counted in its bytes), not a parameter:
    // Keras's Rescaling has none, and a graph's constants are not trained.
    if (weight.role === 'constant') continue;
    const size = sizeOf(weight.shape);
    total += size;
    if (weight.trainable) trainable += size;
    if (weight.role === 'kernel') weights += size;
  }
  return { total, trainable, weights };
}

function counts(layer: LayerSpec): Counts {
  const input = layerInputShapes(layer).reduce((total, shape) => total + sizeOf(shape), 0);
  const output = sizeOf(layer.outputShape);
  switch (layer.type) {
    case 'conv2d':
    case 'depthwiseConv2d':
    case 'pointwiseConv2d': {
      const g = layerGeometry(layer);
      return {
        multAdds: convMultAdds(g),
        elementsRead: input,
        elementsWritten: output,
        kernelChannels: g.outChannels,
      };
    }
    case 'separableConv2d': {
      const { depthwise, pointwise } = separableLayerGeometry(layer);
      return {
        multAdds: convMultAdds(depthwise) + convMultAdds(pointwise),
        // Counted as one fused layer: the depthwise result stays on chip, never in memory.
        elementsRead: input,
        elementsWritten: output,
        kernelChannels: depthwise.outChannels + pointwise.outChannels,
      };
    }
    case 'dense': {
      const inFeatures = layer.inputShape[layer.inputShape.length - 1]!;
      const rows = sizeOf(layer.inputShape.slice(0, -1));
      return {
        multAdds: rows * inFeatures * layer.units,
        elementsRead: input,
        elementsWritten: output,
        kernelChannels: layer.units,
      };
    }
    case 'batchNorm':
    case 'activation':
    case 'pool':
    case 'concat':
    case 'pad':
    case 'resizeBilinear':
    case 'rescaling':
      return { multAdds: 0, elementsRead: input, elementsWritten: output };
    case 'add':
    case 'sub':
    case 'mul':
    case 'div': {
      const constant = layer.constant === undefined ? 0 : sizeOf(layer.constant.shape);
      return { multAdds: 0, elementsRead: input + constant, elementsWritten: output };
    }
    case 'dropout':
    case 'reshape':
      // The identity at inference and a view: no arithmetic, no data moved.
      return { multAdds: 0, elementsRead: 0, elementsWritten: 0 };
    default: {
      // Reached only by specs that bypassed the types (parsed JSON, a newer spec version).
      const unknownLayer: never = layer;
      const type = (unknownLayer as { type?: unknown }).type;
      throw new ValueError('layerCost', 'layer.type', `layer.type must be a known layer kind, got ${describeValue(type)}`);
    }
  }
}

/**
 * Counts one layer: multiply-adds, FLOPs, parameters, bytes moved (activations in and out,
 * parameters read once; float32, or with `{ dtype: 'int8' }` int8 activations and kernels,
 * int32 biases and per-channel requantization) and arithmetic intensity. Every layer is counted
 * on its own, with no reuse of data between layers; a separable layer is counted fused.
 * @throws ValueError for an unknown layer kind or dtype; ShapeError / ValueError from `convGeometry`
 * when a convolution spec's shapes do not fit.
 */
export function layerCost(layer: LayerSpec, options: LayerCostOptions = {}): LayerCost {
  const dtype = checkCostDType('layerCost', 'options.dtype', options?.dtype);
  if (typeof layer !== 'object' || layer === null) {
    throw new ValueError('layerCost', 'layer', `layer must be a layer spec, got ${describeValue(layer)}`);
  }
  for (const field of ['inputShape', 'outputShape'] as const) {
    const shape: unknown = layer[field];
    if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
      throw new ShapeError(
        'layerCost',
        `layer.${field}`,
        `layer.${field} must be an array of non-negative integers, got ${describeValue(shape)} in layer ${describeValue(layer.name)}`,
      );
    }
  }
  const { multAdds, elementsRead, elementsWritten, kernelChannels = 0 } = counts(layer);
  const params = paramCount(layer);
  const flops = 2 * multAdds;
  const size = DTYPE_BYTES[dtype];
  const paramBytes = params.weights * size.kernel + (params.total - params.weights) * size.parameter + kernelChannels * size.requantization;
  const bytesRead = elementsRead * size.activation + paramBytes;
  const bytesWritten = elementsWritten * size.activation;
  const bytes = bytesRead + bytesWritten;
  return {
    name: layer.name,
    type: layer.type,
    dtype,
    multAdds,
    flops,
    params,
    bytesRead,
    paramBytes,
    bytesWritten,
    bytes,
    arithmeticIntensity: bytes === 0 ? 0 : flops / bytes,
  };
}
