import { depthwiseOihwToHwcm, formatShape, HostTensor, oihwToHwio, type Padding } from '@sepconv/tensor';
import { conv2dLayer, depthwiseConv2dLayer, pointwiseConv2dLayer } from '@sepconv/graph';
import type { NodeContext } from './node-context.js';
import { floatTensor } from './onnx-float.js';
import { explicitPadding, onnxPadding, spatialPair, type OnnxWindow } from './onnx-padding.js';

/**
 * A zero `Pad` read only by this convolution becomes part of the convolution's own padding
 * (Keras-style exports pad before each strided depthwise convolution): one pass over the
 * activation fewer, and the same numbers, since a convolution's padding is zeros too.
 */
function absorbZeroPad(
  ctx: NodeContext,
  tensor: string,
  shape: number[],
  window: OnnxWindow,
  own: Padding,
): { input: string; inputShape: readonly number[]; padding: Padding } {
  const index = ctx.state.layers.findIndex((layer) => layer.name === tensor);
  const pad = ctx.state.layers[index];
  if (pad?.type !== 'pad' || pad.value !== 0 || ctx.state.consumers.get(ctx.node.input[0]!) !== 1)
    return { input: tensor, inputShape: shape, padding: own };
  const p = explicitPadding(window, own);
  ctx.state.layers.splice(index, 1);
  const padding = {
    top: p.top + pad.padding.top,
    bottom: p.bottom + pad.padding.bottom,
    left: p.left + pad.padding.left,
    right: p.right + pad.padding.right,
  };
  return { input: pad.inputs![0]!, inputShape: pad.inputShape, padding };
}

/**
 * `Conv` (2-D): `group = 1` → a standard convolution (a 1×1 stride-1 unpadded one → pointwise);
 * `group = C` with weights `[C·M, 1, KH, KW]` → a depthwise convolution with channel
 * multiplier `M`. Weights are converted once, OIHW → `[KH, KW, Cin, Cout]` / `[KH, KW, C, M]`.
 */
export function lowerConv(ctx: NodeContext): void {
  const x = ctx.activation(0, 'X');
  const [batch, inChannels, inHeight, inWidth] = ctx.image(x);
  const w = floatTensor(ctx, ctx.requiredConstant(1, 'W'), 'W');
  if (w.shape.length !== 4) throw ctx.unsupported(`W must be rank 4 [M, C/group, kH, kW] (2-D convolution), got ${formatShape(w.shape)}`);
  const [outChannels, groupChannels, kernelHeight, kernelWidth] = w.shape as [number, number, number, number];
  const bias = ctx.constant(2, 'B');
  const b = bias === undefined ? undefined : floatTensor(ctx, bias, 'B');
  if (b !== undefined && (b.shape.length !== 1 || b.shape[0] !== outChannels))
    throw ctx.shapeError(`B must be [${outChannels}], got ${formatShape(b.shape)}`);
  const kernelShape = spatialPair(ctx, 'kernel_shape', [kernelHeight, kernelWidth]);
  if (kernelShape[0] !== kernelHeight || kernelShape[1] !== kernelWidth) {
    throw ctx.shapeError(`kernel_shape [${kernelShape.join(', ')}] does not match W ${formatShape(w.shape)}`);
  }
  const strides = spatialPair(ctx, 'strides', [1, 1]);
  const dilations = spatialPair(ctx, 'dilations', [1, 1]);
  const window = { inHeight, inWidth, kernel: [kernelHeight, kernelWidth] as const, strides, dilations };
  const { input, inputShape, padding } = absorbZeroPad(ctx, x.tensor, [batch, inHeight, inWidth, inChannels], window, onnxPadding(ctx, window));
  const group = ctx.attributes.int('group', 1);
  const common = { name: ctx.layerName(), inputs: [input], inputShape, useBias: b !== undefined };
  const biasWeight: Record<string, HostTensor> = b === undefined ? {} : { bias: b };
  let layer;
  let weights: Record<string, HostTensor>;
  if (group === 1) {
    if (groupChannels !== inChannels) throw ctx.shapeError(`W ${formatShape(w.shape)} must take the input's ${inChannels} channels (dimension 1)`);
    const hwio = oihwToHwio(w);
    const unit = kernelHeight === 1 && kernelWidth === 1 && strides.every((s) => s === 1) && padding === 'valid';
    if (unit) {
      layer = pointwiseConv2dLayer({ ...common, outChannels });
      weights = { kernel: new HostTensor(hwio.data, [inChannels, outChannels]), ...biasWeight };
    } else {
      layer = conv2dLayer({ ...common, kernelSize: [kernelHeight, kernelWidth], outChannels, strides, dilations, padding });
      weights = { kernel: hwio, ...biasWeight };
    }
  } else if (group === inChannels && groupChannels === 1 && outChannels % inChannels === 0) {
    const channelMultiplier = outChannels / inChannels;
    layer = depthwiseConv2dLayer({ ...common, kernelSize: [kernelHeight, kernelWidth], channelMultiplier, strides, dilations, padding });
    weights = { depthwise_kernel: depthwiseOihwToHwcm(w, channelMultiplier), ...biasWeight };
  } else {
    throw ctx.unsupported(
      `group ${group} with W ${formatShape(w.shape)} on ${inChannels} input channels: only group 1 and depthwise (group = input channels, W [C·M, 1, kH, kW]) run`,
    );
  }
  const [, outHeight, outWidth, channels] = layer.outputShape as [number, number, number, number];
  ctx.output(ctx.emit(layer, [batch, channels, outHeight, outWidth], weights));
}
