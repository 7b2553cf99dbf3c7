import { formatShape, HostTensor, UnsupportedError, type Activation, type ConvActivation, type Padding } from '@sepconv/tensor';
import type { ElementwiseLayer, GraphLayer, LayerOf, LayerType } from '@sepconv/graph';
import { foldBatchNorm } from '../weights/fold-batch-norm.js';
import { batchNormParams, emitLinear, foldFollowers, type PendingLinear } from './fold-followers.js';
import { OP, type PlanBuilder } from './plan-builder.js';

/** Turns one spec layer (of kind `K`) into steps on the builder. */
type Lowering<K extends LayerType> = (builder: PlanBuilder, layer: GraphLayer<LayerOf<K>>) => void;

const VALID: Padding = 'valid';

function isZeroPadding(padding: Padding): boolean {
  return (
    padding === 'valid' || (typeof padding === 'object' && padding.top === 0 && padding.bottom === 0 && padding.left === 0 && padding.right === 0)
  );
}

function constantFilter(shape: readonly number[], value: number): HostTensor {
  return new HostTensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value), shape);
}

/** A linear op's step: folds what follows it, then emits it. */
function linear(
  builder: PlanBuilder,
  pending: Omit<PendingLinear, 'logical' | 'layers' | 'after'> & { layer: GraphLayer; after?: PendingLinear['after'] },
): void {
  const { layer, ...rest } = pending;
  const full: PendingLinear = { ...rest, layers: [layer.name], logical: layer.outputShape, after: pending.after };
  foldFollowers(builder, full);
  emitLinear(builder, full);
}

/** A stand-alone activation step (after a layer that cannot take it as an epilogue). */
function activationStep(builder: PlanBuilder, layer: GraphLayer, activation: Activation): void {
  const shape = builder.shapeOf(builder.input(layer));
  builder.emit(
    { kind: 'activation', inputs: [builder.input(layer)], layers: [layer.name], activation },
    { logical: layer.outputShape, physical: shape.physical },
  );
}

function lowerBinary(builder: PlanBuilder, layer: GraphLayer<ElementwiseLayer>): void {
  const inputs = layer.inputs.map((name) => builder.slot(name));
  const held = inputs.map((slot) => builder.shapeOf(slot));
  // Operands run in the layout they are held in; that is the logical layout unless a value was
  // relabelled, and then only a same-layout or per-channel operation still lines up.
  const relabelled = held.some((shape) => formatShape(shape.physical) !== formatShape(shape.logical));
  let constant: HostTensor | undefined;
  if (layer.constant !== undefined) {
    const weight = builder.weights.take(layer.name, 'constant', layer.constant.shape);
    const channels = held[0]!.physical[held[0]!.physical.length - 1];
    const perChannelOrScalar = weight.size === 1 || (weight.size === channels && weight.shape[weight.shape.length - 1] === channels);
    if (relabelled && !perChannelOrScalar) {
      throw new UnsupportedError(
        OP,
        layer.name,
        `layer '${layer.name}': a constant ${formatShape(weight.shape)} against a relabelled value (${formatShape(held[0]!.logical)} held as ${formatShape(held[0]!.physical)}) does not run`,
      );
    }
    constant = relabelled ? new HostTensor(weight.data, [weight.size]) : weight;
  } else if (relabelled && formatShape(held[0]!.physical) !== formatShape(held[1]!.physical)) {
    throw new UnsupportedError(
      OP,
      layer.name,
      `layer '${layer.name}': inputs held as ${formatShape(held[0]!.physical)} and ${formatShape(held[1]!.physical)} (logical ${formatShape(held[0]!.logical)} and ${formatShape(held[1]!.logical)}) do not line up`,
    );
  }
  const physical = relabelled ? (held.find((shape) => shape.physical.length === 4)?.physical ?? held[0]!.physical) : layer.outputShape;
  // A ReLU/ReLU6/… read only by this layer becomes the binary op's activation.
  const next = builder.soleReader(layer.name);
  const fused = next?.type === 'activation' && next.activation !== 'softmax' ? next : undefined;
  const names = fused ? [layer.name, fused.name] : [layer.name];
  if (fused) builder.absorbed.add(fused.name);
  builder.emit(
    {
      kind: 'binary',
      op: layer.type,
      inputs,
      layers: names,
      constantFirst: layer.constant?.side === 'left',
      activation: fused ? (fused.activation as Activation) : 'linear',
      ...(constant ? { constant } : {}),
    },
    { logical: layer.outputShape, physical },
  );
}

function lowerPool(builder: PlanBuilder, layer: GraphLayer<LayerOf<'pool'>>): void {
  const physical = builder.physical4(layer);
  const channels = physical[3];
  const [outHeight, outWidth] = layer.global ? [1, 1] : [layer.outputShape[1]!, layer.outputShape[2]!];
  const out = { logical: layer.outputShape, physical: [physical[0], outHeight, outWidth, channels] };
  const asConvolution = layer.global ? !builder.globalPoolStep : isZeroPadding(layer.padding);
  if (layer.mode === 'avg' && asConvolution) {
    // An unpadded average is a depthwise convolution with the constant filter 1/(ph·pw): it runs
    // on every backend and fuses with a following pointwise classifier.
    const [ph, pw] = layer.global ? [physical[1], physical[2]] : layer.poolSize;
    linear(builder, {
      layer,
      base: {
        kind: 'conv',
        op: 'depthwiseConv2d',
        inputs: [builder.input(layer)],
        strides: layer.global ? [1, 1] : layer.strides,
        dilations: [1, 1],
        padding: VALID,
      },
      filter: constantFilter([ph, pw, channels, 1], 1 / (ph * pw)),
      bias: undefined,
      outChannels: channels,
      activation: 'linear',
      physical: out.physical,
    });
    return;
  }
  const step = layer.global
    ? ({ kind: 'globalPool', type: layer.mode, inputs: [builder.input(layer)], layers: [layer.name] } as const)
    : ({
        kind: 'pool',
        type: layer.mode,
        kernelSize: layer.poolSize,
        strides: layer.strides,
        padding: layer.padding,
        inputs: [builder.input(layer)],
        layers: [layer.name],
      } as const);
  builder.emit(step, out);
}

function lowerDense(builder: PlanBuilder, layer: GraphLayer<LayerOf<'dense'>>): void {
  const { physical } = builder.shapeOf(builder.input(layer));
  const features = layer.inputShape[layer.inputShape.length - 1]!;
  const units = layer.units;
  const epilogue = layer.activation === 'softmax' || builder.epilogues.includes(layer.activation as ConvActivation);
  const activation: Activation = layer.activation === 'softmax' || !epilogue ? 'linear' : layer.activation;
  const bias = layer.useBias ? builder.weights.vector(layer.name, 'bias', units) : undefined;
  const kernel = builder.weights.take(layer.name, 'kernel', [features, units]);
  const common = {
    layer,
    bias,
    outChannels: units,
    activation,
    after: epilogue && layer.activation !== 'softmax' ? undefined : (layer.activation as PendingLinear['after']),
  };
  const base = { kind: 'conv', inputs: [builder.input(layer)], strides: [1, 1], dilations: [1, 1], padding: VALID } as const;
  if (layer.inputShape.length === 4 || (physical[1] === 1 && physical[2] === 1)) {
    const held = builder.physical4(layer);
    linear(builder, { ...common, base: { ...base, op: 'pointwiseConv2d' }, filter: kernel, physical: [held[0], held[1], held[2], units] });
  } else {
    // A dense layer after flattening [h, w, c] is a 'valid' h×w convolution: the flattened
    // row-major order is exactly the kernel's [h, w, c] order, so the data never moves.
    if (layer.inputShape.length !== 2 || physical.length !== 4 || physical[1]! * physical[2]! * physical[3]! !== features) {
      throw new UnsupportedError(
        OP,
        layer.name,
        `dense layer '${layer.name}' takes ${formatShape(layer.inputShape)}, which does not flatten ${formatShape(physical)}`,
      );
    }
    linear(builder, {
      ...common,
      base: { ...base, op: 'conv2d' },
      filter: new HostTensor(kernel.data, [physical[1]!, physical[2]!, physical[3]!, units]),
      physical: [physical[0]!, 1, 1, units],
    });
  }
}

/**
 * Every layer kind's lowering. `satisfies`: a kind added to the spec without a lowering here is
 * a compile error.
 */
export const LOWERINGS = {
  conv2d: (builder, layer) => {
    const [kh, kw] = layer.kernelSize;
    const physical = builder.physical4(layer);
    linear(builder, {
      layer,
      base: {
        kind: 'conv',
        op: 'conv2d',
        inputs: [builder.input(layer)],
        strides: layer.strides,
        dilations: layer.dilations,
        padding: layer.padding,
      },
      filter: builder.weights.take(layer.name, 'kernel', [kh, kw, physical[3], layer.outChannels]),
      bias: layer.useBias ? builder.weights.vector(layer.name, 'bias', layer.outChannels) : undefined,
      outChannels: layer.outChannels,
      activation: layer.activation,
      physical: builder.shape4(layer.name, layer.outputShape),
    });
  },
  depthwiseConv2d: (builder, layer) => {
    const [kh, kw] = layer.kernelSize;
    const channels = builder.physical4(layer)[3];
    const outChannels = channels * layer.channelMultiplier;
    linear(builder, {
      layer,
      base: {
        kind: 'conv',
        op: 'depthwiseConv2d',
        inputs: [builder.input(layer)],
        strides: layer.strides,
        dilations: layer.dilations,
        padding: layer.padding,
      },
      filter: builder.weights.take(layer.name, 'depthwise_kernel', [kh, kw, channels, layer.channelMultiplier]),
      bias: layer.useBias ? builder.weights.vector(layer.name, 'bias', outChannels) : undefined,
      outChannels,
      activation: layer.activation,
      physical: builder.shape4(layer.name, layer.outputShape),
    });
  },
  pointwiseConv2d: (builder, layer) => {
    const cin = builder.physical4(layer)[3];
    linear(builder, {
      layer,
      base: { kind: 'conv', op: 'pointwiseConv2d', inputs: [builder.input(layer)], strides: [1, 1], dilations: [1, 1], padding: VALID },
      filter: builder.weights.take(layer.name, 'kernel', [cin, layer.outChannels], [1, 1, cin, layer.outChannels]),
      bias: layer.useBias ? builder.weights.vector(layer.name, 'bias', layer.outChannels) : undefined,
      outChannels: layer.outChannels,
      activation: layer.activation,
      physical: builder.shape4(layer.name, layer.outputShape),
    });
  },
  separableConv2d: (builder, layer) => {
    const [kh, kw] = layer.kernelSize;
    const channels = builder.physical4(layer)[3];
    const mid = channels * layer.channelMultiplier;
    const depthwiseBias = layer.depthwiseUseBias ? new HostTensor(builder.weights.vector(layer.name, 'depthwise_bias', mid), [mid]) : undefined;
    linear(builder, {
      layer,
      base: {
        kind: 'separable',
        inputs: [builder.input(layer)],
        depthwiseFilter: builder.weights.take(layer.name, 'depthwise_kernel', [kh, kw, channels, layer.channelMultiplier]),
        ...(depthwiseBias ? { depthwiseBias } : {}),
        strides: layer.strides,
        dilations: layer.dilations,
        padding: layer.padding,
        depthwiseActivation: layer.depthwiseActivation,
      },
      filter: builder.weights.take(layer.name, 'pointwise_kernel', [mid, layer.outChannels], [1, 1, mid, layer.outChannels]),
      bias: layer.useBias ? builder.weights.vector(layer.name, 'bias', layer.outChannels) : undefined,
      outChannels: layer.outChannels,
      activation: layer.activation,
      physical: builder.shape4(layer.name, layer.outputShape),
    });
  },
  batchNorm: (builder, layer) => {
    // A batch norm with no linear op before it: a per-channel affine map, i.e. a 1×1
    // depthwise convolution whose filter and bias are the folded scale and offset.
    const physical = builder.physical4(layer);
    const channels = physical[3];
    const folded = foldBatchNorm(layer.name, constantFilter([1, 1, channels, 1], 1), undefined, channels, batchNormParams(builder, layer, channels));
    linear(builder, {
      layer,
      base: { kind: 'conv', op: 'depthwiseConv2d', inputs: [builder.input(layer)], strides: [1, 1], dilations: [1, 1], padding: VALID },
      filter: folded.filter,
      bias: folded.bias.data,
      outChannels: channels,
      activation: 'linear',
      physical,
    });
  },
  activation: (builder, layer) => {
    if (layer.activation === 'softmax') {
      builder.emit(
        { kind: 'softmax', inputs: [builder.input(layer)], layers: [layer.name] },
        { logical: layer.outputShape, physical: builder.shapeOf(builder.input(layer)).physical },
      );
    } else if (layer.activation === 'linear' && !builder.inputs.some((port) => port.slot === builder.input(layer))) {
      // The identity (a classifier's `classifier_activation=None` after its flatten): another
      // name of its input, no step. (On a model input it stays a copy, so that no output is the
      // caller's own tensor.)
      builder.alias(layer.name, builder.input(layer));
    } else {
      activationStep(builder, layer, layer.activation);
    }
  },
  pool: lowerPool,
  dense: lowerDense,
  add: lowerBinary,
  sub: lowerBinary,
  mul: lowerBinary,
  div: lowerBinary,
  concat: (builder, layer) => {
    const held = layer.inputs.map((name) => builder.shapeOf(builder.slot(name)));
    const rank = layer.outputShape.length;
    // The channel axis of a relabelled [N, C] is still the last physical axis; any other axis
    // needs the data laid out as the spec says.
    const axis = layer.axis === rank - 1 ? -1 : layer.axis;
    if (axis !== -1 && held.some((shape) => formatShape(shape.physical) !== formatShape(shape.logical))) {
      throw new UnsupportedError(
        OP,
        layer.name,
        `concat layer '${layer.name}' along axis ${layer.axis} needs inputs laid out as the spec says; one is relabelled`,
      );
    }
    const physical = [...held[0]!.physical];
    physical[physical.length - 1] = held.reduce((total, shape) => total + shape.physical[shape.physical.length - 1]!, 0);
    if (axis !== -1) physical.splice(0, physical.length, ...layer.outputShape);
    builder.emit(
      { kind: 'concat', axis, inputs: layer.inputs.map((name) => builder.slot(name)), layers: [layer.name] },
      { logical: layer.outputShape, physical },
    );
  },
  pad: (builder, layer) => {
    builder.physical4(layer);
    builder.emit(
      { kind: 'pad', padding: layer.padding, value: layer.value, inputs: [builder.input(layer)], layers: [layer.name] },
      { logical: layer.outputShape, physical: layer.outputShape },
    );
  },
  resizeBilinear: (builder, layer) => {
    builder.physical4(layer);
    builder.emit(
      {
        kind: 'resize',
        size: layer.size,
        alignCorners: layer.alignCorners,
        halfPixelCenters: layer.halfPixelCenters,
        inputs: [builder.input(layer)],
        layers: [layer.name],
      },
      { logical: layer.outputShape, physical: layer.outputShape },
    );
  },
  rescaling: (builder, layer) => {
    // Keras's Rescaling where nothing linear precedes it (an input scaling): a multiply and an
    // add by scalar constants, each on the backend.
    const shape = { logical: layer.outputShape, physical: builder.shapeOf(builder.input(layer)).physical };
    const scalar = (value: number): HostTensor => new HostTensor(new Float32Array([value]), [1]);
    const common = { kind: 'binary', constantFirst: false, activation: 'linear', layers: [layer.name] } as const;
    const scaled = builder.emit(
      { ...common, op: 'mul', inputs: [builder.input(layer)], constant: scalar(layer.scale) },
      shape,
      layer.offset === 0 ? [layer.name] : [],
    );
    if (layer.offset !== 0) builder.emit({ ...common, op: 'add', inputs: [scaled], constant: scalar(layer.offset) }, shape);
  },
  dropout: (builder, layer) => relabel(builder, layer),
  reshape: (builder, layer) => relabel(builder, layer),
} satisfies { [K in LayerType]: Lowering<K> };

/** Dropout (the identity at inference) and reshape: a new logical shape, the same data. */
function relabel(builder: PlanBuilder, layer: GraphLayer): void {
  const input = builder.input(layer);
  builder.emit({ kind: 'relabel', inputs: [input], layers: [layer.name] }, { logical: layer.outputShape, physical: builder.shapeOf(input).physical });
}
