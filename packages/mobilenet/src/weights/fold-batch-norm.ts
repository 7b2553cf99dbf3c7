import { ChannelScaledTensor, formatShape, HostTensor, ShapeError } from '@sepconv/tensor';

/** A batch norm's four vectors (`[channels]` each), inference form. */
export interface BatchNormParams {
  /** Scale; absent when the layer learns none (Keras `scale: false`), i.e. 1. */
  readonly gamma?: Float32Array | undefined;
  /** Offset; absent when the layer learns none (Keras `center: false`), i.e. 0. */
  readonly beta?: Float32Array | undefined;
  readonly movingMean: Float32Array;
  readonly movingVariance: Float32Array;
  readonly epsilon: number;
}

/** A convolution's filter and bias after folding. */
export interface FoldedConv {
  /** The filter with the scale folded in, computed only when its `data` is read (see `ChannelScaledTensor`). */
  readonly filter: ChannelScaledTensor;
  readonly bias: HostTensor;
}

/**
 * Folds an inference batch norm into the convolution before it:
 * `s = gamma / sqrt(movingVariance + epsilon)`, `filter' = filter · s`,
 * `bias' = (bias − movingMean) · s + beta`, per output channel. Works for every filter layout
 * sepconv uses because the output channel is the innermost index in all of them (standard
 * `[KH, KW, Cin, Cout]`, pointwise `[Cin, Cout]`, depthwise `[KH, KW, C, M]` whose output
 * channel `c·M + m` is the flattened last two axes). The bias is computed in float64 and
 * stored as float32; each weight is multiplied by `s` rounded to float32, in float32. The folded filter is a `ChannelScaledTensor` over `filter`'s elements (not copied): its
 * `data` is computed on first read, and the CPU backend applies the scale as it packs instead,
 * so instantiating a model makes no folded copy of its weights there.
 * @param outChannels the convolution's output channel count (`C·M` for depthwise).
 * @param bias the convolution's own bias `[outChannels]`, if it has one.
 * @throws ShapeError naming `layer` when a vector's length is not `outChannels`.
 */
export function foldBatchNorm(
  layer: string,
  filter: HostTensor,
  bias: Float32Array | undefined,
  outChannels: number,
  norm: BatchNormParams,
): FoldedConv {
  const op = 'foldBatchNorm';
  const check = (argument: string, values: Float32Array | undefined): void => {
    if (values !== undefined && values.length !== outChannels) {
      throw new ShapeError(
        op,
        `${layer}/${argument}`,
        `${layer}: ${argument} must have ${outChannels} values (one per output channel), got ${values.length}`,
      );
    }
  };
  check('bias', bias);
  check('gamma', norm.gamma);
  check('beta', norm.beta);
  check('moving_mean', norm.movingMean);
  check('moving_variance', norm.movingVariance);
  if (filter.size % outChannels !== 0) {
    throw new ShapeError(op, `${layer}/kernel`, `${layer}: filter ${formatShape(filter.shape)} does not end in ${outChannels} output channels`);
  }
  const scale = new Float32Array(outChannels);
  const folded = new Float32Array(outChannels);
  for (let c = 0; c < outChannels; c++) {
    const factor = (norm.gamma?.[c] ?? 1) / Math.sqrt(norm.movingVariance[c]! + norm.epsilon);
    scale[c] = factor;
    folded[c] = ((bias?.[c] ?? 0) - norm.movingMean[c]!) * factor + (norm.beta?.[c] ?? 0);
  }
  // A filter folded before (a batch norm, then a constant scale) keeps its one source: the scales multiply.
  const before = filter instanceof ChannelScaledTensor && filter.scale.length === outChannels ? filter : undefined;
  if (before) for (let c = 0; c < outChannels; c++) scale[c] = scale[c]! * before.scale[c]!;
  return { filter: new ChannelScaledTensor(before ? before.source : filter.data, scale, filter.shape), bias: new HostTensor(folded, [outChannels]) };
}
