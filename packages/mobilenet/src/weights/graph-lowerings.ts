import { describeValue, HostTensor, ShapeError, ValueError, type ConvActivation, type Padding } from '@sepconv/tensor';
import {
  activationLayer,
  batchNormLayer,
  concatLayer,
  conv2dLayer,
  denseLayer,
  depthwiseConv2dLayer,
  elementwiseLayer,
  padLayer,
  pointwiseConv2dLayer,
  poolLayer,
  reshapeLayer,
  resizeBilinearLayer,
  type ElementwiseOp,
  type LayerActivation,
  type LayerSpec,
} from '@sepconv/graph';
import { isConvEpilogue } from './conv-epilogue.js';
import { assertNhwc, attrBool, attrInts, attrNumber, attrString, attrStrings, type GraphNode } from './graph-node.js';
import type { GraphNodeContext } from './graph-node-context.js';
import { perExampleShape } from './per-example-shape.js';
import type { TensorRef } from './spec-builder.js';

/** Lowers one node of a graph model into layers of the spec (or into nothing, binding it to a tensor). */
export type GraphLowering = (ctx: GraphNodeContext) => void;

const OP = 'loadGraphModel';

/** TensorFlow's element-wise activations as sepconv's; `Relu`/`Relu6` also fuse into a convolution. */
const ACTIVATIONS = { Relu: 'relu', Relu6: 'relu6', Sigmoid: 'sigmoid' } as const satisfies Record<string, LayerActivation>;

function activationOf(name: string): LayerActivation | undefined {
  return Object.hasOwn(ACTIVATIONS, name) ? ACTIVATIONS[name as keyof typeof ACTIVATIONS] : undefined;
}

/** `[1, h, w, 1]` attributes (strides, dilations, ksize) as `[h, w]`; batch and channel entries must be 1. */
function spatial(ctx: GraphNodeContext, key: string): [number, number] {
  const values = attrInts(ctx.node, key) ?? [1, 1, 1, 1];
  if (values.length !== 4 || values[0] !== 1 || values[3] !== 1) {
    ctx.refuse(`attr.${key} ${describeValue(values)}: only [1, height, width, 1] runs (NHWC, no batch or channel stride)`);
  }
  return [values[1]!, values[2]!];
}

/** A node's `padding` attribute: SAME, VALID, or EXPLICIT with `explicit_paddings` on height and width. */
function paddingOf(ctx: GraphNodeContext, explicitAllowed: boolean): Padding {
  const kind = attrString(ctx.node, 'padding') ?? 'VALID';
  if (kind === 'SAME' || kind === 'VALID') return kind === 'SAME' ? 'same' : 'valid';
  if (kind !== 'EXPLICIT' || !explicitAllowed) {
    throw new ValueError(
      OP,
      ctx.name,
      `node '${ctx.name}': padding must be 'SAME', 'VALID'${explicitAllowed ? " or 'EXPLICIT'" : ''}, got ${describeValue(kind)}`,
    );
  }
  const p = attrInts(ctx.node, 'explicit_paddings') ?? [];
  if (p.length !== 8 || p[0] !== 0 || p[1] !== 0 || p[6] !== 0 || p[7] !== 0) {
    ctx.refuse(`explicit_paddings ${describeValue(p)}: only height and width padding runs`);
  }
  return { top: p[2]!, bottom: p[3]!, left: p[4]!, right: p[5]! };
}

/** What a fused convolution or MatMul applies after its product (`fused_ops`, inputs from 2). */
interface Epilogue {
  readonly bias?: HostTensor;
  readonly batchNorm?: { readonly epsilon: number; readonly weights: Record<string, HostTensor> };
  readonly activation: LayerActivation;
}

/** Reads `fused_ops`: `BiasAdd` or `FusedBatchNorm`, then optionally an activation sepconv runs. */
function fusedEpilogue(ctx: GraphNodeContext): Epilogue {
  const ops = attrStrings(ctx.node, 'fused_ops');
  if (ops.length === 0) return { activation: 'linear' };
  const [first, second, ...rest] = ops;
  const activation = second === undefined ? 'linear' : activationOf(second);
  if ((first !== 'BiasAdd' && first !== 'FusedBatchNorm') || activation === undefined || rest.length > 0) {
    ctx.refuse(`fused_ops ${describeValue(ops)}: runs BiasAdd or FusedBatchNorm, then optionally ${Object.keys(ACTIVATIONS).join(', ')}`);
  }
  if (first === 'BiasAdd') return { bias: ctx.constant(2, 'bias'), activation };
  const parts = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;
  const weights = Object.fromEntries(parts.map((part, i) => [part, ctx.constant(2 + i, part)]));
  // TensorFlow's default for _FusedConv2D's epsilon.
  return { batchNorm: { epsilon: attrNumber(ctx.node, 'epsilon', 1e-4), weights }, activation };
}

/** Whether layers follow the linear one (a batch norm, an activation its kernel does not fuse). */
function hasFollowers(epilogue: Epilogue, fused: boolean): boolean {
  return epilogue.batchNorm !== undefined || (!fused && epilogue.activation !== 'linear');
}

/**
 * The name of a node's linear layer: the node's own when nothing follows it; else
 * `<node>/<kind>`, so that the node's name goes to its last layer, the tensor its readers read.
 */
function linearName(ctx: GraphNodeContext, kind: string, epilogue: Epilogue, fused: boolean): string {
  return hasFollowers(epilogue, fused) ? `${ctx.name}/${kind}` : ctx.name;
}

/**
 * Emits what follows a linear layer for its epilogue (a batch norm, an activation no kernel
 * fuses; the last named after the node) and binds the node to the last tensor.
 */
function finishLinear(ctx: GraphNodeContext, linear: TensorRef, epilogue: Epilogue, fused: boolean): void {
  let last = linear;
  const activates = !fused && epilogue.activation !== 'linear';
  if (epilogue.batchNorm) {
    const name = activates ? `${ctx.name}/batch_norm` : ctx.name;
    last = ctx.emit(
      batchNormLayer({ name, inputShape: last.shape, inputs: [last.name], epsilon: epilogue.batchNorm.epsilon }),
      epilogue.batchNorm.weights,
    );
  }
  if (activates) last = ctx.emit(activationLayer({ name: ctx.name, inputShape: last.shape, inputs: [last.name], activation: epilogue.activation }));
  ctx.produces(last);
}

/** Conv2D, DepthwiseConv2dNative and their fused forms. */
function convolution(depthwise: boolean): GraphLowering {
  return (ctx) => {
    assertNhwc(ctx.node);
    let input = ctx.tensor(0);
    const filter = ctx.constant(1, 'filter');
    if (filter.shape.length !== 4)
      throw new ShapeError(
        OP,
        ctx.name,
        `node '${ctx.name}': the filter must be 4-d [kernelHeight, kernelWidth, inChannels, ${depthwise ? 'multiplier' : 'outChannels'}], got [${filter.shape.join(', ')}]`,
      );
    const [kh, kw, cin, out] = filter.shape as [number, number, number, number];
    const epilogue = fusedEpilogue(ctx);
    const strides = spatial(ctx, 'strides');
    const dilations = spatial(ctx, 'dilations');
    let padding = paddingOf(ctx, true);
    if (padding === 'valid') {
      // A zero Pad read only by this convolution becomes its explicit padding.
      const taken = ctx.builder.takeZeroPadding(input.name);
      if (taken) [input, padding] = [taken.input, taken.padding];
    }
    const channels = input.shape[input.shape.length - 1];
    if (cin !== channels)
      throw new ShapeError(
        OP,
        ctx.name,
        `node '${ctx.name}': the filter [${filter.shape.join(', ')}] takes ${cin} channels, but its input has ${describeValue(channels)}`,
      );
    const fused = epilogue.batchNorm === undefined && isConvEpilogue(epilogue.activation);
    const pointwise = !depthwise && kh === 1 && kw === 1 && strides[0] === 1 && strides[1] === 1 && (padding === 'same' || padding === 'valid');
    const kind = depthwise ? 'depthwiseConv2d' : pointwise ? 'pointwiseConv2d' : 'conv2d';
    const common = {
      name: linearName(ctx, kind, epilogue, fused),
      inputShape: input.shape,
      inputs: [input.name],
      useBias: epilogue.bias !== undefined,
      activation: fused ? (epilogue.activation as ConvActivation) : 'linear',
    };
    const layer = depthwise
      ? depthwiseConv2dLayer({ ...common, kernelSize: [kh, kw], channelMultiplier: out, strides, dilations, padding })
      : pointwise
        ? pointwiseConv2dLayer({ ...common, outChannels: out })
        : conv2dLayer({ ...common, kernelSize: [kh, kw], outChannels: out, strides, dilations, padding });
    const linear = ctx.emit(layer, { [depthwise ? 'depthwise_kernel' : 'kernel']: filter, bias: epilogue.bias });
    finishLinear(ctx, linear, epilogue, fused);
  };
}

/** MatMul and _FusedMatMul with a constant right operand: a dense layer (a transposed kernel is transposed here). */
function matMul(ctx: GraphNodeContext): void {
  if (attrBool(ctx.node, 'transpose_a')) ctx.refuse('transpose_a: only x · kernel with x as stored runs');
  const x = ctx.tensor(0);
  let kernel = ctx.constant(1, 'kernel');
  if (kernel.shape.length !== 2) throw new ShapeError(OP, ctx.name, `node '${ctx.name}': the kernel must be 2-d, got [${kernel.shape.join(', ')}]`);
  if (attrBool(ctx.node, 'transpose_b')) kernel = transpose(kernel);
  const [features, units] = kernel.shape as [number, number];
  if (x.shape[x.shape.length - 1] !== features)
    throw new ShapeError(OP, ctx.name, `node '${ctx.name}': the kernel takes ${features} features, but its input is [${x.shape.join(', ')}]`);
  const epilogue = fusedEpilogue(ctx);
  const fused = epilogue.batchNorm === undefined;
  const layer = denseLayer({
    name: linearName(ctx, 'dense', epilogue, fused),
    inputShape: x.shape,
    inputs: [x.name],
    units,
    useBias: epilogue.bias !== undefined,
    activation: fused ? epilogue.activation : 'linear',
  });
  finishLinear(ctx, ctx.emit(layer, { kernel, bias: epilogue.bias }), epilogue, fused);
}

function transpose(matrix: HostTensor): HostTensor {
  const [rows, cols] = matrix.shape as [number, number];
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[c * rows + r] = matrix.data[r * cols + c]!;
  return new HostTensor(data, [cols, rows]);
}

/** A layer kind that takes a bias and may absorb a BiasAdd after it. */
function withBias(layer: LayerSpec, channels: number): LayerSpec | undefined {
  const takes = layer.type === 'conv2d' || layer.type === 'depthwiseConv2d' || layer.type === 'pointwiseConv2d' || layer.type === 'dense';
  if (!takes || layer.useBias || layer.activation !== 'linear' || layer.outputShape[layer.outputShape.length - 1] !== channels) return undefined;
  return { ...layer, useBias: true };
}

/** BiasAdd: the bias of the convolution or MatMul before it when it is that layer's only reader, else an add of a constant. */
function biasAdd(ctx: GraphNodeContext): void {
  assertNhwc(ctx.node);
  const x = ctx.tensor(0);
  const bias = ctx.constant(1, 'bias');
  if (bias.shape.length !== 1) throw new ShapeError(OP, ctx.name, `node '${ctx.name}': the bias must be 1-d, got [${bias.shape.join(', ')}]`);
  if (ctx.builder.foldInto(x.name, (layer) => withBias(layer, bias.size), { bias })) {
    ctx.produces(x, 1);
    return;
  }
  ctx.produces(
    ctx.emit(elementwiseLayer({ op: 'add', name: ctx.name, inputShape: x.shape, inputs: [x.name], constant: { shape: bias.shape } }), {
      constant: bias,
    }),
  );
}

/** Add/AddV2/Sub/Mul/RealDiv: two tensors (broadcasting) or a tensor and a constant on either side. */
function elementwise(op: ElementwiseOp): GraphLowering {
  return (ctx) => {
    const [left, right] = [ctx.isConstant(0), ctx.isConstant(1)];
    if (left && right) ctx.refuse('both operands are constants (fold them when converting the model)');
    if (left || right) {
      const x = ctx.tensor(left ? 1 : 0);
      const constant = ctx.constant(left ? 0 : 1, 'constant operand');
      const layer = elementwiseLayer({
        op,
        name: ctx.name,
        inputShape: x.shape,
        inputs: [x.name],
        constant: { shape: constant.shape, side: left ? 'left' : 'right' },
      });
      ctx.produces(ctx.emit(layer, { constant }));
      return;
    }
    const [a, b] = [ctx.tensor(0), ctx.tensor(1)];
    ctx.produces(ctx.emit(elementwiseLayer({ op, name: ctx.name, inputShapes: [a.shape, b.shape], inputs: [a.name, b.name] })));
  };
}

function activation(kind: LayerActivation): GraphLowering {
  return (ctx) => {
    const x = ctx.tensor(0);
    ctx.produces(ctx.emit(activationLayer({ name: ctx.name, inputShape: x.shape, inputs: [x.name], activation: kind })));
  };
}

/** Axes of a reduction or squeeze, negative ones counted from the end of a rank-`rank` tensor. */
function axes(values: readonly number[], rank: number): number[] {
  return values.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
}

/** Mean over height and width: global average pooling. */
function mean(ctx: GraphNodeContext): void {
  const x = ctx.tensor(0);
  const over = axes(ctx.integers(1, 'reduction axes'), x.shape.length);
  if (x.shape.length !== 4 || over.length !== 2 || over[0] !== 1 || over[1] !== 2) {
    ctx.refuse(`a mean over axes ${describeValue(over)} of a rank-${x.shape.length} tensor; only height and width (1, 2) of NHWC runs`);
  }
  const keepDims = attrBool(ctx.node, 'keep_dims') || attrBool(ctx.node, 'keepDims');
  ctx.produces(ctx.emit(poolLayer({ name: ctx.name, inputShape: x.shape, inputs: [x.name], mode: 'avg', global: true, keepDims })));
}

/** AvgPool / MaxPool. */
function pool(mode: 'avg' | 'max'): GraphLowering {
  return (ctx) => {
    assertNhwc(ctx.node);
    const x = ctx.tensor(0);
    const layer = poolLayer({
      name: ctx.name,
      inputShape: x.shape,
      inputs: [x.name],
      mode,
      poolSize: spatial(ctx, 'ksize'),
      strides: spatial(ctx, 'strides'),
      padding: paddingOf(ctx, false),
    });
    ctx.produces(ctx.emit(layer));
  };
}

/** ConcatV2: N tensors, then the axis as a constant. */
function concat(ctx: GraphNodeContext): void {
  const count = ctx.inputs.length - 1;
  if (count < 1) throw new ValueError(OP, ctx.name, `node '${ctx.name}' (ConcatV2) needs tensors and an axis, got ${ctx.inputs.length} inputs`);
  const [axis] = ctx.integers(count, 'axis');
  const tensors = Array.from({ length: count }, (_, i) => ctx.tensor(i));
  const layer = concatLayer({ name: ctx.name, inputShapes: tensors.map((t) => t.shape), inputs: tensors.map((t) => t.name), axis: axis! });
  ctx.produces(ctx.emit(layer));
}

/** Pad / PadV2: constant padding of height and width (a zero one may fold into the convolution after it). */
function pad(ctx: GraphNodeContext): void {
  const x = ctx.tensor(0);
  const p = ctx.integers(1, 'paddings');
  if (x.shape.length !== 4 || p.length !== 8 || p[0] !== 0 || p[1] !== 0 || p[6] !== 0 || p[7] !== 0) {
    ctx.refuse(`paddings ${describeValue(p)} of a rank-${x.shape.length} tensor; only height and width padding of NHWC runs`);
  }
  let value = 0;
  if (ctx.node.op === 'PadV2') {
    const constant = ctx.constant(2, 'constant_values');
    if (constant.size !== 1) ctx.refuse(`constant_values of shape [${constant.shape.join(', ')}]; only one value runs`);
    value = constant.data[0]!;
  }
  const layer = padLayer({
    name: ctx.name,
    inputShape: x.shape,
    inputs: [x.name],
    padding: { top: p[2]!, bottom: p[3]!, left: p[4]!, right: p[5]! },
    value,
  });
  ctx.produces(ctx.emit(layer));
}

function mirrorPad(ctx: GraphNodeContext): void {
  ctx.refuse(
    `mode ${describeValue(attrString(ctx.node, 'mode') ?? 'REFLECT')} mirrors the border, which sepconv does not run; only constant padding (Pad, PadV2)`,
  );
}

/** Reshape to a constant shape whose first entry is the batch (or -1). */
function reshape(ctx: GraphNodeContext): void {
  const x = ctx.tensor(0);
  const [first, ...rest] = ctx.integers(1, 'shape');
  if (first === undefined || (first !== -1 && first !== x.shape[0]))
    ctx.refuse(`shape ${describeValue([first, ...rest])} changes the batch axis; only per-example reshapes run`);
  ctx.produces(ctx.emit(reshapeLayer({ name: ctx.name, inputShape: x.shape, inputs: [x.name], targetShape: perExampleShape(x.shape, rest) })));
}

/** Squeeze of `squeeze_dims` (all size-1 axes but the batch when none are listed). */
function squeeze(ctx: GraphNodeContext): void {
  const x = ctx.tensor(0);
  const listed = axes(attrInts(ctx.node, 'squeeze_dims') ?? attrInts(ctx.node, 'axis') ?? [], x.shape.length);
  if (listed.includes(0)) ctx.refuse('it squeezes the batch axis');
  const targetShape = x.shape.slice(1).filter((d, i) => !(listed.length === 0 ? d === 1 : listed.includes(i + 1)));
  ctx.produces(ctx.emit(reshapeLayer({ name: ctx.name, inputShape: x.shape, inputs: [x.name], targetShape })));
}

function resizeBilinear(ctx: GraphNodeContext): void {
  const x = ctx.tensor(0);
  const size = ctx.integers(1, 'size');
  if (size.length !== 2) throw new ValueError(OP, ctx.name, `node '${ctx.name}': size must be [height, width], got ${describeValue(size)}`);
  const alignCorners = attrBool(ctx.node, 'align_corners');
  const halfPixelCenters = attrBool(ctx.node, 'half_pixel_centers');
  const layer = resizeBilinearLayer({
    name: ctx.name,
    inputShape: x.shape,
    inputs: [x.name],
    size: [size[0]!, size[1]!],
    alignCorners,
    halfPixelCenters,
  });
  ctx.produces(ctx.emit(layer));
}

/** FusedBatchNorm(V2, V3) in inference mode: a batch norm layer, folded into the layer before it when the model is instantiated. */
function batchNorm(ctx: GraphNodeContext): void {
  assertNhwc(ctx.node);
  if (attrBool(ctx.node, 'is_training')) ctx.refuse('is_training is true (batch statistics); only inference batch norm runs');
  const x = ctx.tensor(0);
  const parts = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;
  const weights = Object.fromEntries(parts.map((part, i) => [part, ctx.constant(i + 1, part)]));
  // TensorFlow's default for FusedBatchNorm's epsilon.
  const layer = batchNormLayer({ name: ctx.name, inputShape: x.shape, inputs: [x.name], epsilon: attrNumber(ctx.node, 'epsilon', 1e-4) });
  ctx.produces(ctx.emit(layer, weights));
}

/** Identity, StopGradient: the node stands for the tensor it reads (constants are read through it by the nodes that use them). */
function alias(ctx: GraphNodeContext): void {
  if (ctx.isConstant(0)) return;
  ctx.produces(ctx.tensor(0), 1);
}

/** Nodes with no layer of their own: model inputs are declared before lowering, constants are read by their users. */
function nothing(): void {}

/**
 * TensorFlow op name → lowering: the ops of MobileNet-family graph models as
 * tensorflowjs_converter writes them (V1, V2, V3's hard-swish as Add/Relu6/Mul nodes, SSD and
 * segmentation heads). An op not listed here is reported with every node that uses it.
 */
export const GRAPH_OPS = {
  Placeholder: nothing,
  Const: nothing,
  NoOp: nothing,
  Identity: alias,
  StopGradient: alias,
  Conv2D: convolution(false),
  _FusedConv2D: convolution(false),
  FusedConv2D: convolution(false),
  DepthwiseConv2dNative: convolution(true),
  FusedDepthwiseConv2dNative: convolution(true),
  BiasAdd: biasAdd,
  Add: elementwise('add'),
  AddV2: elementwise('add'),
  Sub: elementwise('sub'),
  Mul: elementwise('mul'),
  RealDiv: elementwise('div'),
  Div: elementwise('div'),
  Relu: activation('relu'),
  Relu6: activation('relu6'),
  Sigmoid: activation('sigmoid'),
  Softmax: activation('softmax'),
  Mean: mean,
  AvgPool: pool('avg'),
  MaxPool: pool('max'),
  ConcatV2: concat,
  Pad: pad,
  PadV2: pad,
  MirrorPad: mirrorPad,
  Reshape: reshape,
  Squeeze: squeeze,
  MatMul: matMul,
  _FusedMatMul: matMul,
  ResizeBilinear: resizeBilinear,
  FusedBatchNorm: batchNorm,
  FusedBatchNormV2: batchNorm,
  FusedBatchNormV3: batchNorm,
} satisfies Record<string, GraphLowering>;

/** The lowering of `node`'s op, or undefined when sepconv does not read it (no prototype names: `'toString'` is no op). */
export function graphLowering(node: GraphNode): GraphLowering | undefined {
  return Object.hasOwn(GRAPH_OPS, node.op) ? GRAPH_OPS[node.op as keyof typeof GRAPH_OPS] : undefined;
}
