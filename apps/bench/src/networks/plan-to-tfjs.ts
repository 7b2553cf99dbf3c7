import type * as Tf from '@tensorflow/tfjs-core';
import type { ModelPlan, PlanStep, StepKind } from '@sepconv/mobilenet';
import { convGeometry, type Activation, type Conv2dGeometry, type HostTensor } from '@sepconv/tensor';
import { stepGeometry } from './plan-geometry.js';

/**
 * tfjs's fused depthwise op takes only 'same', 'valid' or a symmetric number: the resolved
 * padding is said that way (MobileNet's explicit strided padding is TensorFlow's 'same' at
 * even sizes, which tfjs then applies itself).
 */
function tfjsPadding(g: Conv2dGeometry): 'same' | 'valid' {
  if (g.padTop === 0 && g.padBottom === 0 && g.padLeft === 0 && g.padRight === 0) return 'valid';
  const same = convGeometry({
    ...g,
    inputShape: [g.batch, g.inHeight, g.inWidth, g.inChannels],
    strides: [g.strideHeight, g.strideWidth],
    dilations: [g.dilationHeight, g.dilationWidth],
    padding: 'same',
  });
  if (same.padTop === g.padTop && same.padBottom === g.padBottom && same.padLeft === g.padLeft && same.padRight === g.padRight) return 'same';
  throw new Error(`padding ${JSON.stringify([g.padTop, g.padBottom, g.padLeft, g.padRight])} is neither 'same' nor 'valid' for tfjs`);
}

/** A compiled network written with TensorFlow.js ops, weights held as tfjs tensors. */
export interface TfjsNetwork {
  /** Runs the network on an NHWC input and returns the (reshaped) output. Call inside `tf.tidy`. */
  predict(x: Tf.Tensor4D): Tf.Tensor;
  dispose(): void;
}

/** Each activation as tfjs ops (hard-sigmoid and hard-swish as written out: tfjs has neither). */
const ACTIVATIONS: Record<Activation, (tf: typeof Tf, x: Tf.Tensor) => Tf.Tensor> = {
  linear: (_tf, x) => x,
  relu: (tf, x) => tf.relu(x),
  relu6: (tf, x) => tf.relu6(x),
  sigmoid: (tf, x) => tf.sigmoid(x),
  hardSigmoid: (tf, x) => tf.div(tf.relu6(tf.add(x, 3)), 6),
  hardSwish: (tf, x) => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6)),
};

/** The activations tfjs's fused convolutions run in the kernel; any other runs after a linear one. */
const FUSED = ['linear', 'relu', 'relu6', 'sigmoid'] as const satisfies readonly Activation[];

const isFused = (activation: Activation): activation is (typeof FUSED)[number] => (FUSED as readonly Activation[]).includes(activation);

/** A value's tensors by slot while the network runs. */
type Values = Map<number, Tf.Tensor>;

/** What a step builder gets: tfjs, the plan, the batch, and a way to keep a weight for the network's life. */
interface BuildContext {
  readonly tf: typeof Tf;
  readonly plan: ModelPlan;
  readonly batch: number;
  hold<T extends Tf.Tensor>(t: T): T;
}

/** Builds a step once (weights uploaded); the returned function computes it from the values it reads. */
type StepBuilder<K extends StepKind> = (step: Extract<PlanStep, { kind: K }>, ctx: BuildContext) => (inputs: Tf.Tensor[]) => Tf.Tensor;

/** A fused convolution with bias, and the activation (in the kernel when tfjs fuses it). */
function fusedConv(
  tf: typeof Tf,
  op: 'conv2d' | 'depthwiseConv2d',
  x: Tf.Tensor4D,
  filter: Tf.Tensor4D,
  g: Conv2dGeometry | 'pointwise',
  bias: Tf.Tensor1D | undefined,
  activation: Activation,
): Tf.Tensor4D {
  const geometry =
    g === 'pointwise'
      ? { strides: 1 as const, pad: 'valid' as const, dilations: 1 as const }
      : {
          strides: [g.strideHeight, g.strideWidth] as [number, number],
          pad: tfjsPadding(g),
          dilations: [g.dilationHeight, g.dilationWidth] as [number, number],
        };
  const fused = isFused(activation) ? activation : 'linear';
  // tfjs's fused ops take a bias or none; the key is left out rather than set to undefined.
  const args = { x, filter, ...geometry, ...(bias ? { bias } : {}), activation: fused };
  const y = op === 'depthwiseConv2d' ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
  return (fused === activation ? y : ACTIVATIONS[activation](tf, y)) as Tf.Tensor4D;
}

const filter4d = (tf: typeof Tf, filter: HostTensor): Tf.Tensor4D =>
  tf.tensor4d(
    filter.data,
    (filter.shape.length === 2 ? [1, 1, filter.shape[0]!, filter.shape[1]!] : filter.shape) as [number, number, number, number],
  );

const ARITHMETIC = { add: 'add', sub: 'sub', mul: 'mul', div: 'div' } as const;

/** One builder per step kind (`satisfies` makes a new kind a compile error here). */
const STEP_BUILDERS = {
  conv: (step, { tf, plan, batch, hold }) => {
    const g = stepGeometry(plan, step, batch);
    const filter = hold(filter4d(tf, step.filter));
    const bias = step.bias ? hold(tf.tensor1d(step.bias.data)) : undefined;
    const op = step.op === 'depthwiseConv2d' ? 'depthwiseConv2d' : 'conv2d';
    return ([x]) => fusedConv(tf, op, x as Tf.Tensor4D, filter, g, bias, step.activation);
  },
  separable: (step, { tf, plan, batch, hold }) => {
    const g = stepGeometry(plan, step, batch);
    const dw = hold(filter4d(tf, step.depthwiseFilter));
    const pw = hold(filter4d(tf, step.pointwiseFilter));
    const dwBias = step.depthwiseBias ? hold(tf.tensor1d(step.depthwiseBias.data)) : undefined;
    const bias = step.bias ? hold(tf.tensor1d(step.bias.data)) : undefined;
    return ([x]) =>
      fusedConv(
        tf,
        'conv2d',
        fusedConv(tf, 'depthwiseConv2d', x as Tf.Tensor4D, dw, g, dwBias, step.depthwiseActivation),
        pw,
        'pointwise',
        bias,
        step.activation,
      );
  },
  binary: (step, { tf, hold }) => {
    const op = tf[ARITHMETIC[step.op]];
    const constant = step.constant ? hold(tf.tensor(step.constant.data, [...step.constant.shape])) : undefined;
    return ([a, b]) =>
      ACTIVATIONS[step.activation](tf, constant === undefined ? op(a!, b!) : step.constantFirst ? op(constant, a!) : op(a!, constant));
  },
  activation:
    (step, { tf }) =>
    ([x]) =>
      ACTIVATIONS[step.activation](tf, x!),
  softmax: (step, { tf, plan }) => {
    const logical = plan.slots[step.output]!.logical;
    const features = logical[logical.length - 1]!;
    return ([x]) => tf.softmax(tf.reshape(x!, [-1, features]));
  },
  concat:
    (step, { tf }) =>
    (inputs) =>
      tf.concat(inputs, step.axis),
  pad: (step, { tf }) => {
    const { top, bottom, left, right } = step.padding;
    return ([x]) =>
      tf.pad(
        x!,
        [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        step.value,
      );
  },
  pool: (step, { tf, plan, batch }) => {
    const [, height, width, channels] = plan.slots[step.inputs[0]!]!.physical as readonly [number, number, number, number];
    const [kernelHeight, kernelWidth] = step.kernelSize;
    const g = convGeometry({
      kind: 'depthwiseConv2d',
      inputShape: [batch, height, width, channels],
      kernelHeight,
      kernelWidth,
      channelMultiplier: 1,
      strides: [step.strides[0], step.strides[1]],
      padding: step.padding,
    });
    const pool = step.type === 'avg' ? tf.avgPool : tf.maxPool;
    return ([x]) => pool(x as Tf.Tensor4D, [kernelHeight, kernelWidth], [g.strideHeight, g.strideWidth], tfjsPadding(g));
  },
  globalPool:
    (step, { tf }) =>
    ([x]) =>
      step.type === 'avg' ? tf.mean(x!, [1, 2], true) : tf.max(x!, [1, 2], true),
  resize:
    (step, { tf }) =>
    ([x]) =>
      tf.image.resizeBilinear(x as Tf.Tensor4D, [step.size[0], step.size[1]], step.alignCorners, step.halfPixelCenters),
  relabel:
    () =>
    ([x]) =>
      x!,
} satisfies { [K in StepKind]: StepBuilder<K> };

/**
 * Writes a compiled sepconv network (batch norm folded) with tfjs ops: convolutions are
 * `tf.fused.conv2d` / `tf.fused.depthwiseConv2d` with bias and ReLU/ReLU6/sigmoid in the kernel
 * (as a converted network runs on tfjs; hard-swish and hard-sigmoid follow as element-wise
 * ops), element-wise steps `tf.add`/`mul`/… with their constants, pools, concat, pad, resize,
 * the classifier `tf.softmax`. Padding is the explicit amounts sepconv resolved. One input,
 * the first output.
 */
export function tfjsNetwork(tf: typeof Tf, plan: ModelPlan, batch: number): TfjsNetwork {
  const held: Tf.Tensor[] = [];
  const ctx: BuildContext = {
    tf,
    plan,
    batch,
    hold: (t) => {
      held.push(t);
      return t;
    },
  };
  const ops = plan.steps.map((step) => {
    const compute = (STEP_BUILDERS[step.kind] as StepBuilder<StepKind>)(step, ctx);
    return (values: Values) => values.set(step.output, compute(step.inputs.map((slot) => values.get(slot)!)));
  });
  return {
    predict(x) {
      const values: Values = new Map([[plan.inputs[0]!.slot, x]]);
      for (const op of ops) op(values);
      return values.get(plan.outputs[0]!.slot)!;
    },
    dispose() {
      for (const t of held) t.dispose();
    },
  };
}
