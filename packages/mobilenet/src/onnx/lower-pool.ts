import { padLayer, poolLayer } from '@sepconv/graph';
import type { NodeContext } from './node-context.js';
import { explicitPadding, onnxPadding, spatialPair, type OnnxWindow } from './onnx-padding.js';

function emitPool(ctx: NodeContext, layer: ReturnType<typeof poolLayer>): void {
  const [batch, outHeight, outWidth, channels] = layer.outputShape as [number, number, number, number];
  ctx.output(ctx.emit(layer, [batch, channels, outHeight, outWidth]));
}

/** `GlobalAveragePool` / `GlobalMaxPool`: `[N, C, H, W]` → `[N, C, 1, 1]`. */
function lowerGlobalPool(mode: 'avg' | 'max'): (ctx: NodeContext) => void {
  return (ctx) => {
    const x = ctx.activation(0, 'X');
    const [batch, channels, height, width] = ctx.image(x);
    emitPool(
      ctx,
      poolLayer({ name: ctx.layerName(), inputs: [x.tensor], inputShape: [batch, height, width, channels], mode, global: true, keepDims: true }),
    );
  };
}

export const lowerGlobalAveragePool = lowerGlobalPool('avg');
export const lowerGlobalMaxPool = lowerGlobalPool('max');

/** One spatial axis's output size for `pads` summing to `padded`, floor or ceil mode. */
function outputSize(size: number, padded: number, kernel: number, stride: number, ceil: boolean): number {
  const span = (size + padded - kernel) / stride;
  return (ceil ? Math.ceil(span) : Math.floor(span)) + 1;
}

/**
 * `AveragePool` / `MaxPool` (2-D, dilation 1). Padded cells are left out of a max and, with
 * `count_include_pad = 0` (the default), out of an average, as sepconv's pooling does; with
 * `count_include_pad = 1` the zeros are real, so the padding becomes a pad layer before an
 * unpadded average. `ceil_mode = 1` runs where it gives the same size as floor mode.
 */
function lowerWindowPool(mode: 'avg' | 'max'): (ctx: NodeContext) => void {
  return (ctx) => {
    const x = ctx.activation(0, 'X');
    const [batch, channels, inHeight, inWidth] = ctx.image(x);
    ctx.onlyOutputs(1);
    const kernel = spatialPair(ctx, 'kernel_shape', undefined);
    const strides = spatialPair(ctx, 'strides', [1, 1]);
    const dilations = spatialPair(ctx, 'dilations', [1, 1]);
    if (dilations[0] !== 1 || dilations[1] !== 1) throw ctx.unsupported(`dilations [${dilations.join(', ')}] do not run; only 1`);
    const window: OnnxWindow = { inHeight, inWidth, kernel, strides, dilations };
    let padding = onnxPadding(ctx, window);
    const pads = explicitPadding(window, padding);
    if (ctx.attributes.int('ceil_mode', 0) === 1 && ctx.attributes.string('auto_pad', 'NOTSET') === 'NOTSET') {
      const differs = [
        [inHeight, pads.top + pads.bottom, kernel[0], strides[0]],
        [inWidth, pads.left + pads.right, kernel[1], strides[1]],
      ].some(([size, padded, k, s]) => outputSize(size!, padded!, k!, s!, true) !== outputSize(size!, padded!, k!, s!, false));
      if (differs) throw ctx.unsupported('ceil_mode 1 gives a larger output than floor mode here, which does not run; export with ceil_mode=False');
    }
    let input = x;
    let inputShape = [batch, inHeight, inWidth, channels];
    const padded = pads.top + pads.bottom + pads.left + pads.right > 0;
    if (mode === 'avg' && padded && ctx.attributes.int('count_include_pad', 0) === 1) {
      const pad = padLayer({ name: ctx.layerName('pad'), inputs: [x.tensor], inputShape, padding: pads });
      inputShape = [...pad.outputShape];
      input = ctx.emit(pad, [batch, channels, inputShape[1]!, inputShape[2]!]);
      padding = 'valid';
    }
    emitPool(ctx, poolLayer({ name: ctx.layerName(), inputs: [input.tensor], inputShape, mode, poolSize: kernel, strides, padding }));
  };
}

export const lowerAveragePool = lowerWindowPool('avg');
export const lowerMaxPool = lowerWindowPool('max');
