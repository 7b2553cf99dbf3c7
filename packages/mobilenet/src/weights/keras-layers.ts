import { describeValue, type ConvActivation, type Padding } from '@sepconv/tensor';
import {
  activationLayer,
  batchNormLayer,
  concatLayer,
  conv2dLayer,
  denseLayer,
  depthwiseConv2dLayer,
  dropoutLayer,
  elementwiseLayer,
  padLayer,
  pointwiseConv2dLayer,
  poolLayer,
  rescalingLayer,
  reshapeLayer,
  resizeBilinearLayer,
  separableConv2dLayer,
  type ElementwiseOp,
  type LayerActivation,
  type LayerSpec,
} from '@sepconv/graph';
import { isConvEpilogue } from './conv-epilogue.js';
import type { KerasLayerContext } from './keras-layer-context.js';
import { perExampleShape } from './per-example-shape.js';
import type { TensorRef } from './spec-builder.js';

/** Lowers one Keras layer into layers of the spec. */
export type KerasLowering = (ctx: KerasLayerContext) => void;

/**
 * Emits a layer's main spec layer and, where it cannot fuse its activation, the activation
 * after it (with Keras 2's hard_sigmoid scale before it). The Keras layer's name goes to the
 * last spec layer (the tensor its readers and the model's outputs name); the main one is then
 * `<layer>/<kind>` and reads its weights from the file's `<layer>/…`.
 */
function emitWithActivation(
  ctx: KerasLayerContext,
  build: (name: string, fused: LayerActivation) => LayerSpec,
  fuses: (activation: LayerActivation) => boolean,
): void {
  const { activation, prescale } = ctx.activation();
  const fused = prescale === 1 && fuses(activation);
  const main = build(ctx.name, fused ? activation : 'linear');
  if (fused || (activation === 'linear' && prescale === 1)) {
    ctx.produces(ctx.emit(main));
    return;
  }
  let last = ctx.emitWeighted({ ...main, name: `${ctx.name}/${main.type}` });
  if (prescale !== 1) {
    const name = activation === 'linear' ? ctx.name : `${ctx.name}/scale`;
    last = ctx.emit(rescalingLayer({ name, inputShape: last.shape, inputs: [last.name], scale: prescale }));
  }
  if (activation !== 'linear') last = ctx.emit(activationLayer({ name: ctx.name, inputShape: last.shape, inputs: [last.name], activation }));
  ctx.produces(last);
}

/** The input and padding of a convolution, with a ZeroPadding2D before a 'valid' one taken as explicit padding. */
function convInput(ctx: KerasLayerContext): { input: TensorRef; padding: Padding; folded: boolean } {
  ctx.channelsLast();
  const input = ctx.input();
  const padding = ctx.padding();
  const taken = padding === 'valid' ? ctx.builder.takeZeroPadding(input.name) : undefined;
  return taken ? { input: taken.input, padding: taken.padding, folded: true } : { input, padding, folded: false };
}

function conv2d(ctx: KerasLayerContext): void {
  if ((ctx.value('groups') ?? 1) !== 1) ctx.refuse(`groups ${describeValue(ctx.value('groups'))}; only 1 runs`);
  const { input, padding, folded } = convInput(ctx);
  const kernelSize = ctx.pair('kernel_size');
  const strides = ctx.pair('strides', [1, 1]);
  const dilations = ctx.pair('dilation_rate', [1, 1]);
  const common = {
    name: ctx.name,
    inputShape: input.shape,
    inputs: [input.name],
    outChannels: ctx.value('filters') as number,
    useBias: ctx.bool('use_bias', true),
  };
  const pointwise = kernelSize[0] === 1 && kernelSize[1] === 1 && strides[0] === 1 && strides[1] === 1 && !folded;
  emitWithActivation(
    ctx,
    (name, activation) =>
      pointwise
        ? pointwiseConv2dLayer({ ...common, name, activation: activation as ConvActivation })
        : conv2dLayer({ ...common, name, kernelSize, strides, dilations, padding, activation: activation as ConvActivation }),
    isConvEpilogue,
  );
}

/** The options DepthwiseConv2D and SeparableConv2D share: input, the depthwise window and multiplier, bias. */
function depthwiseOptions(ctx: KerasLayerContext) {
  const { input, padding } = convInput(ctx);
  return {
    name: ctx.name,
    inputShape: input.shape,
    inputs: [input.name],
    kernelSize: ctx.pair('kernel_size'),
    channelMultiplier: ctx.number('depth_multiplier', 1),
    strides: ctx.pair('strides', [1, 1]),
    dilations: ctx.pair('dilation_rate', [1, 1]),
    padding,
    useBias: ctx.bool('use_bias', true),
  };
}

function depthwiseConv2d(ctx: KerasLayerContext): void {
  const options = depthwiseOptions(ctx);
  emitWithActivation(ctx, (name, activation) => depthwiseConv2dLayer({ ...options, name, activation: activation as ConvActivation }), isConvEpilogue);
}

function separableConv2d(ctx: KerasLayerContext): void {
  const options = { ...depthwiseOptions(ctx), outChannels: ctx.value('filters') as number };
  emitWithActivation(ctx, (name, activation) => separableConv2dLayer({ ...options, name, activation: activation as ConvActivation }), isConvEpilogue);
}

function dense(ctx: KerasLayerContext): void {
  const x = ctx.input();
  emitWithActivation(
    ctx,
    (name, activation) =>
      denseLayer({
        name,
        inputShape: x.shape,
        inputs: [x.name],
        units: ctx.value('units') as number,
        useBias: ctx.bool('use_bias', true),
        activation,
      }),
    () => true,
  );
}

function batchNormalization(ctx: KerasLayerContext): void {
  const x = ctx.input();
  const raw = ctx.value('axis') ?? -1;
  const axis = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
  if (axis !== -1 && axis !== x.shape.length - 1) ctx.refuse(`batch norm over axis ${describeValue(raw)}; only the channel (last) axis runs`);
  const layer = batchNormLayer({
    name: ctx.name,
    inputShape: x.shape,
    inputs: [x.name],
    epsilon: ctx.number('epsilon', 1e-3),
    center: ctx.bool('center', true),
    scale: ctx.bool('scale', true),
  });
  ctx.produces(ctx.emit(layer));
}

function relu(ctx: KerasLayerContext): void {
  const x = ctx.input();
  if (ctx.number('negative_slope', 0) !== 0 || ctx.number('threshold', 0) !== 0)
    ctx.refuse('leaky or thresholded ReLU (negative_slope, threshold) does not run');
  const max = ctx.value('max_value');
  if (max !== undefined && max !== 6) ctx.refuse(`ReLU capped at ${describeValue(max)}; only 6 (ReLU6) or no cap runs`);
  ctx.produces(ctx.emit(activationLayer({ name: ctx.name, inputShape: x.shape, inputs: [x.name], activation: max === 6 ? 'relu6' : 'relu' })));
}

function activation(ctx: KerasLayerContext): void {
  let x = ctx.input();
  const { activation: kind, prescale } = ctx.activation();
  if (prescale !== 1) x = ctx.emit(rescalingLayer({ name: `${ctx.name}/scale`, inputShape: x.shape, inputs: [x.name], scale: prescale }));
  ctx.produces(ctx.emit(activationLayer({ name: ctx.name, inputShape: x.shape, inputs: [x.name], activation: kind })));
}

function rescaling(ctx: KerasLayerContext): void {
  const x = ctx.input();
  const [scale, offset] = [ctx.value('scale'), ctx.value('offset') ?? 0];
  if (typeof scale !== 'number' || typeof offset !== 'number')
    ctx.refuse(`scale ${describeValue(scale)} and offset ${describeValue(offset)}: only one number each runs`);
  ctx.produces(ctx.emit(rescalingLayer({ name: ctx.name, inputShape: x.shape, inputs: [x.name], scale, offset })));
}

function zeroPadding2d(ctx: KerasLayerContext): void {
  ctx.channelsLast();
  const x = ctx.input();
  const value = ctx.value('padding') ?? 1;
  const nested = Array.isArray(value) && Array.isArray(value[0]);
  const [top, bottom] = nested ? pairOf(ctx, value[0]) : [ctx.pair('padding')[0], ctx.pair('padding')[0]];
  const [left, right] = nested ? pairOf(ctx, value[1]) : [ctx.pair('padding')[1], ctx.pair('padding')[1]];
  ctx.produces(ctx.emit(padLayer({ name: ctx.name, inputShape: x.shape, inputs: [x.name], padding: { top, bottom, left, right } })));
}

function pairOf(ctx: KerasLayerContext, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number'))
    ctx.refuse(`padding ${describeValue(ctx.value('padding'))}: expected ((top, bottom), (left, right))`);
  return value as [number, number];
}

function globalPool(mode: 'avg' | 'max'): KerasLowering {
  return (ctx) => {
    ctx.channelsLast();
    const x = ctx.input();
    ctx.produces(
      ctx.emit(poolLayer({ name: ctx.name, inputShape: x.shape, inputs: [x.name], mode, global: true, keepDims: ctx.bool('keepdims', false) })),
    );
  };
}

function pool(mode: 'avg' | 'max'): KerasLowering {
  return (ctx) => {
    ctx.channelsLast();
    const x = ctx.input();
    const poolSize = ctx.pair('pool_size', [2, 2]);
    ctx.produces(
      ctx.emit(
        poolLayer({
          name: ctx.name,
          inputShape: x.shape,
          inputs: [x.name],
          mode,
          poolSize,
          strides: ctx.pair('strides', poolSize),
          padding: ctx.padding(),
        }),
      ),
    );
  };
}

function flatten(ctx: KerasLayerContext): void {
  const x = ctx.input();
  ctx.produces(
    ctx.emit(reshapeLayer({ name: ctx.name, inputShape: x.shape, inputs: [x.name], targetShape: [x.shape.slice(1).reduce((a, b) => a * b, 1)] })),
  );
}

function reshape(ctx: KerasLayerContext): void {
  const x = ctx.input();
  const target = ctx.value('target_shape');
  if (!Array.isArray(target) || !target.every((d) => typeof d === 'number'))
    ctx.refuse(`target_shape ${describeValue(target)}: expected a list of sizes`);
  ctx.produces(ctx.emit(reshapeLayer({ name: ctx.name, inputShape: x.shape, inputs: [x.name], targetShape: perExampleShape(x.shape, target) })));
}

function dropout(ctx: KerasLayerContext): void {
  const x = ctx.input();
  ctx.produces(ctx.emit(dropoutLayer({ name: ctx.name, inputShape: x.shape, inputs: [x.name], rate: ctx.number('rate', 0) })));
}

/** Add, Multiply (two or more tensors, as a chain of two-tensor layers), Subtract (two). */
function merge(op: ElementwiseOp, most = Infinity): KerasLowering {
  return (ctx) => {
    const count = ctx.inputs.length;
    if (count < 2 || count > most) ctx.refuse(`${count} inputs; it takes ${most === Infinity ? 'two or more' : most}`);
    let last = ctx.inputs[0]!;
    for (let i = 1; i < count; i++) {
      const next = ctx.inputs[i]!;
      const name = i === count - 1 ? ctx.name : `${ctx.name}/${i}`;
      last = ctx.emit(elementwiseLayer({ op, name, inputShapes: [last.shape, next.shape], inputs: [last.name, next.name] }));
    }
    ctx.produces(last);
  };
}

function concatenate(ctx: KerasLayerContext): void {
  const layer = concatLayer({
    name: ctx.name,
    inputShapes: ctx.inputs.map((t) => t.shape),
    inputs: ctx.inputs.map((t) => t.name),
    axis: ctx.number('axis', -1),
  });
  ctx.produces(ctx.emit(layer));
}

/** UpSampling2D: bilinear is a resize (sampling positions as the writing Keras did); nearest does not run. */
function upSampling2d(ctx: KerasLayerContext): void {
  ctx.channelsLast();
  const x = ctx.input();
  const interpolation = ctx.value('interpolation') ?? 'nearest';
  if (interpolation !== 'bilinear') ctx.refuse(`interpolation ${describeValue(interpolation)}; only 'bilinear' runs`);
  const [sh, sw] = ctx.pair('size', [2, 2]);
  const size: [number, number] = [x.shape[1]! * sh, x.shape[2]! * sw];
  const layer = resizeBilinearLayer({
    name: ctx.name,
    inputShape: x.shape,
    inputs: [x.name],
    size,
    alignCorners: false,
    halfPixelCenters: !ctx.format.legacyResize,
  });
  ctx.produces(ctx.emit(layer));
}

/** Model inputs are declared before lowering. */
function nothing(): void {}

/**
 * Keras layer class → lowering, for both config formats. A class not listed is reported with
 * every layer of it in one error.
 */
export const KERAS_LAYERS = {
  InputLayer: nothing,
  Conv2D: conv2d,
  DepthwiseConv2D: depthwiseConv2d,
  SeparableConv2D: separableConv2d,
  BatchNormalization: batchNormalization,
  Dense: dense,
  Dropout: dropout,
  Flatten: flatten,
  Reshape: reshape,
  ReLU: relu,
  Activation: activation,
  Rescaling: rescaling,
  ZeroPadding2D: zeroPadding2d,
  GlobalAveragePooling2D: globalPool('avg'),
  GlobalMaxPooling2D: globalPool('max'),
  AveragePooling2D: pool('avg'),
  MaxPooling2D: pool('max'),
  Add: merge('add'),
  Multiply: merge('mul'),
  Subtract: merge('sub', 2),
  Concatenate: concatenate,
  UpSampling2D: upSampling2d,
} satisfies Record<string, KerasLowering>;

/** The lowering of a class, or undefined when sepconv does not read it (no prototype names). */
export function kerasLowering(className: string): KerasLowering | undefined {
  return Object.hasOwn(KERAS_LAYERS, className) ? KERAS_LAYERS[className as keyof typeof KERAS_LAYERS] : undefined;
}
