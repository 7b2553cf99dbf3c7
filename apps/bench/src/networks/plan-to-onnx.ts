import type { ModelPlan, PlanStep, StepKind } from '@sepconv/mobilenet';
import {
  convGeometry,
  depthwiseHwcmToOihw,
  HostTensor,
  hwioToOihw,
  nhwcToNchw,
  outputShape,
  type Activation,
  type QuantizedConvWeights,
  type Conv2dGeometry,
} from '@sepconv/tensor';
import { onnxConvAttributes, OnnxGraphWriter } from '../onnx/onnx-graph-writer.js';
import { stepGeometry } from './plan-geometry.js';

/** HardSwish is an ONNX operator from opset 14 (per-channel DequantizeLinear, from 13, is there too). */
export const OPSET = 14;

/** Input and output names of the network models. */
export const NETWORK_INPUT = 'x';
export const NETWORK_OUTPUT = 'y';

/** Where a physical NHWC axis (0…3; a negative one counts from the end) lands in NCHW. */
const NCHW_AXIS = [0, 2, 3, 1] as const;

/** What a step writer sees: the writer, the plan, the batch, and each slot's ONNX value name. */
interface WriteContext {
  readonly w: OnnxGraphWriter;
  readonly plan: ModelPlan;
  readonly batch: number;
  readonly id: string;
  /** The ONNX names of the step's inputs, in order. */
  readonly inputs: readonly string[];
  /** A convolution step's int8 operands, when it runs quantized: its weights are written int8 (see {@link int8ConvWeights}). */
  readonly int8?: QuantizedConvWeights | undefined;
}

type StepWriter<K extends StepKind> = (step: Extract<PlanStep, { kind: K }>, ctx: WriteContext) => string;

/** Each activation as ONNX nodes (HardSigmoid with PyTorch's α = 1/6, β = 0.5 is relu6(x + 3) / 6). */
const ACTIVATION_NODES: Record<Activation, (w: OnnxGraphWriter, x: string) => string> = {
  linear: (_w, x) => x,
  relu: (w, x) => w.node('Relu', [x]),
  relu6: (w, x) => w.node('Clip', [x, w.constant('relu6_min', [0]), w.constant('relu6_max', [6])]),
  sigmoid: (w, x) => w.node('Sigmoid', [x]),
  hardSigmoid: (w, x) => w.node('HardSigmoid', [x], { alpha: { float: 1 / 6 }, beta: { float: 0.5 } }),
  hardSwish: (w, x) => w.node('HardSwish', [x]),
};

/** A convolution (filter to OIHW) and its activation. */
function convNode(ctx: WriteContext, suffix: string, g: Conv2dGeometry, filter: HostTensor, bias: HostTensor | undefined, x: string): string {
  const oihw =
    g.kind === 'depthwiseConv2d'
      ? depthwiseHwcmToOihw(filter)
      : hwioToOihw(filter.shape.length === 2 ? new HostTensor(filter.data, [1, 1, filter.shape[0]!, filter.shape[1]!]) : filter);
  const name = `${ctx.id}${suffix}`;
  const inputs = ctx.int8 ? int8ConvWeights(ctx.w, name, ctx.int8, oihw.shape) : [x, ctx.w.initializer(`${name}_w`, oihw)];
  if (ctx.int8) inputs.unshift(x);
  else if (bias) inputs.push(ctx.w.initializer(`${name}_b`, bias));
  return ACTIVATION_NODES[g.activation](ctx.w, ctx.w.node('Conv', inputs, onnxConvAttributes(g)));
}

/**
 * A quantized convolution's weight and bias as QDQ: the int8 filter (OIHW, as the float one)
 * through a per-output-channel `DequantizeLinear` (axis 0, zero points 0: symmetric), the int32
 * bias through one with scales `inputScale · weightScales[o]` — the pattern ONNX Runtime fuses
 * with the `DequantizeLinear` before and the `QuantizeLinear` after into `QLinearConv`.
 */
function int8ConvWeights(w: OnnxGraphWriter, name: string, conv: QuantizedConvWeights, oihwShape: readonly number[]): string[] {
  // The same transposition as the float filter's: int8 values are exact in float32.
  const asFloat = new HostTensor(Float32Array.from(conv.filter), conv.filterShape);
  const oihw =
    conv.kind === 'depthwiseConv2d'
      ? depthwiseHwcmToOihw(asFloat)
      : hwioToOihw(conv.kind === 'pointwiseConv2d' ? new HostTensor(asFloat.data, [1, 1, ...conv.filterShape]) : asFloat);
  const out = conv.outChannels;
  const weight = w.node(
    'DequantizeLinear',
    [
      w.integers(`${name}_wq`, 'int8', Int8Array.from(oihw.data), oihwShape),
      w.initializer(`${name}_ws`, new HostTensor(Float32Array.from(conv.weightScales), [out])),
      w.integers(`${name}_wz`, 'int8', new Int8Array(out)),
    ],
    { axis: 0 },
  );
  const bias = conv.bias ?? new Int32Array(out);
  const biasScales = Float32Array.from(conv.weightScales, (s) => conv.input.scale * s);
  const dequantizedBias = w.node(
    'DequantizeLinear',
    [
      w.integers(`${name}_bq`, 'int32', bias),
      w.initializer(`${name}_bs`, new HostTensor(biasScales, [out])),
      w.integers(`${name}_bz`, 'int32', new Int32Array(out)),
    ],
    { axis: 0 },
  );
  return [weight, dequantizedBias];
}

/** A constant broadcast against NHWC values, as the same constant against NCHW ones. */
function nchwConstant(constant: HostTensor): HostTensor {
  const rank4 = new HostTensor(constant.data, [...Array<number>(4 - constant.shape.length).fill(1), ...constant.shape]);
  return nhwcToNchw(rank4);
}

/**
 * One writer per step kind (`satisfies` makes a new kind a compile error here): each writes the
 * step as ONNX nodes, NCHW, and returns the name of its result.
 */
const STEP_WRITERS = {
  conv: (step, ctx) => convNode(ctx, '', stepGeometry(ctx.plan, step, ctx.batch), step.filter, step.bias, ctx.inputs[0]!),
  separable: (step, ctx) => {
    const depthwise = stepGeometry(ctx.plan, step, ctx.batch);
    const mid = convNode(ctx, '_dw', depthwise, step.depthwiseFilter, step.depthwiseBias, ctx.inputs[0]!);
    const pointwise = convGeometry({
      kind: 'pointwiseConv2d',
      inputShape: outputShape(depthwise),
      kernelHeight: 1,
      kernelWidth: 1,
      outChannels: step.pointwiseFilter.shape[1]!,
      hasBias: true,
      activation: step.activation,
    });
    return convNode(ctx, '_pw', pointwise, step.pointwiseFilter, step.bias, mid);
  },
  binary: (step, ctx) => {
    const opType = { add: 'Add', sub: 'Sub', mul: 'Mul', div: 'Div' }[step.op];
    let inputs = [...ctx.inputs];
    if (step.constant) {
      const constant = ctx.w.initializer(`${ctx.id}_c`, nchwConstant(step.constant));
      inputs = step.constantFirst ? [constant, inputs[0]!] : [inputs[0]!, constant];
    }
    return ACTIVATION_NODES[step.activation](ctx.w, ctx.w.node(opType, inputs));
  },
  activation: (step, ctx) => ACTIVATION_NODES[step.activation](ctx.w, ctx.inputs[0]!),
  // The classifier's output is [batch, classes, 1, 1] in NCHW: softmax over axis 1.
  softmax: (_step, ctx) => ctx.w.node('Softmax', [ctx.inputs[0]!], { axis: 1 }),
  concat: (step, ctx) => ctx.w.node('Concat', ctx.inputs, { axis: NCHW_AXIS[((step.axis + 4) % 4) as 0 | 1 | 2 | 3] }),
  pad: (step, ctx) => {
    const { top, bottom, left, right } = step.padding;
    const pads = ctx.w.int64(`${ctx.id}_pads`, [0, 0, top, left, 0, 0, bottom, right]);
    return ctx.w.node('Pad', [ctx.inputs[0]!, pads, ctx.w.constant(`${ctx.id}_value`, [step.value])], { mode: 'constant' });
  },
  pool: (step, ctx) => {
    const [, height, width, channels] = ctx.plan.slots[step.inputs[0]!]!.physical as readonly [number, number, number, number];
    const [kernelHeight, kernelWidth] = step.kernelSize;
    // The pool's padding resolved as a convolution's would be ('same' as TensorFlow pads).
    const g = convGeometry({
      kind: 'depthwiseConv2d',
      inputShape: [ctx.batch, height, width, channels],
      kernelHeight,
      kernelWidth,
      channelMultiplier: 1,
      strides: [step.strides[0], step.strides[1]],
      padding: step.padding,
    });
    return ctx.w.node(step.type === 'avg' ? 'AveragePool' : 'MaxPool', [ctx.inputs[0]!], {
      kernel_shape: [kernelHeight, kernelWidth],
      strides: [g.strideHeight, g.strideWidth],
      pads: [g.padTop, g.padLeft, g.padBottom, g.padRight],
    });
  },
  globalPool: (step, ctx) => ctx.w.node(step.type === 'avg' ? 'GlobalAveragePool' : 'GlobalMaxPool', [ctx.inputs[0]!]),
  resize: (step, ctx) => {
    const [, , , channels] = ctx.plan.slots[step.inputs[0]!]!.physical as readonly [number, number, number, number];
    const sizes = ctx.w.int64(`${ctx.id}_sizes`, [ctx.batch, channels, step.size[0], step.size[1]]);
    // TensorFlow's three sampling grids, in ONNX's names; '' leaves out roi and scales.
    const grid = step.alignCorners ? 'align_corners' : step.halfPixelCenters ? 'half_pixel' : 'asymmetric';
    return ctx.w.node('Resize', [ctx.inputs[0]!, '', '', sizes], { mode: 'linear', coordinate_transformation_mode: grid });
  },
  relabel: (_step, ctx) => ctx.inputs[0]!,
} satisfies { [K in StepKind]: StepWriter<K> };

/**
 * Writes a compiled sepconv network (batch norm already folded) as an ONNX model, NCHW: `Conv`
 * (grouped for depthwise) and its activation per step (`Clip(0, 6)`, `HardSwish`,
 * `HardSigmoid`…), `Add`/`Mul`/… for element-wise steps (constants transposed to broadcast in
 * NCHW), global and windowed pools, `Concat`, `Pad`, `Resize`, and `Softmax` over the channels at the end — what
 * an exported, BN-folded network looks like to ONNX Runtime, which fuses the activations into
 * its convolutions. Same weights as the sepconv run; one input and the first output.
 */
export function onnxNetworkModel(plan: ModelPlan, batch: number, name: string): Uint8Array {
  const w = new OnnxGraphWriter(OPSET);
  const names = new Map<number, string>([[plan.inputs[0]!.slot, NETWORK_INPUT]]);
  plan.steps.forEach((step, index) => {
    names.set(
      step.output,
      writePlanStep(
        w,
        plan,
        batch,
        index,
        step.inputs.map((slot) => names.get(slot)!),
      ),
    );
  });
  return encodeNetwork(w, plan, batch, name, names.get(plan.outputs[0]!.slot)!);
}

/**
 * Writes step `index` of a plan as ONNX nodes reading the values named `inputs` (NCHW) and
 * returns the name of its result; `int8` writes a convolution step's weights quantized.
 */
export function writePlanStep(
  w: OnnxGraphWriter,
  plan: ModelPlan,
  batch: number,
  index: number,
  inputs: readonly string[],
  int8?: QuantizedConvWeights,
): string {
  const step = plan.steps[index]!;
  const ctx: WriteContext = { w, plan, batch, id: `s${index}`, inputs, ...(int8 ? { int8 } : {}) };
  return (STEP_WRITERS[step.kind] as StepWriter<StepKind>)(step, ctx);
}

/** Names `output` the network's output ({@link NETWORK_OUTPUT}) and encodes the model, NCHW ports of the plan's first input and output. */
export function encodeNetwork(w: OnnxGraphWriter, plan: ModelPlan, batch: number, name: string, output: string): Uint8Array {
  w.node('Identity', [output], {}, NETWORK_OUTPUT);
  const nchw = (slot: number): number[] => {
    const [, height, width, channels] = plan.slots[slot]!.physical as readonly [number, number, number, number];
    return [batch, channels, height, width];
  };
  return w.encode(name, [{ name: NETWORK_INPUT, dims: nchw(plan.inputs[0]!.slot) }], [{ name: NETWORK_OUTPUT, dims: nchw(plan.outputs[0]!.slot) }]);
}
