import { describeValue, formatShape, ShapeError, ValueError } from '@sepconv/tensor';
import { activationShape, broadcastShape, checkLayerOptions, constantShape, layerInputs, layerName } from './layer-checks.js';
import type { LayerBase } from './layer-spec.js';

/** The element-wise binary operations; each is a layer kind of its own (`type: 'mul'`). */
export type ElementwiseOp = 'add' | 'sub' | 'mul' | 'div';

/** Every {@link ElementwiseOp}. */
export const ELEMENTWISE_OPS: readonly ElementwiseOp[] = ['add', 'sub', 'mul', 'div'];

/**
 * A constant operand of an element-wise layer: a weight named `<layer>/constant` (in the
 * model's weights, like a kernel), e.g. TF-Hub's input scaling `x · (1/127.5) − 1` as a `mul`
 * and a `sub` with scalar constants.
 */
export interface ElementwiseConstant {
  /** The weight's shape; it broadcasts against the input (`[]` scalar, `[C]` per channel). */
  readonly shape: readonly number[];
  /** `'right'`: `x op constant` (the usual form); `'left'`: `constant op x` (e.g. `1 − x`). */
  readonly side: 'left' | 'right';
}

/** The spec of one element-wise kind. */
export interface ElementwiseLayerOf<Op extends ElementwiseOp> extends LayerBase {
  readonly type: Op;
  /**
   * The shapes of the tensor operands, in the order of `inputs`: two, or one beside a
   * `constant`. They broadcast NumPy-style (right-aligned, each dimension equal or 1) to
   * `outputShape`; `inputShape` is the first.
   */
  readonly inputShapes: readonly (readonly number[])[];
  /** Present for the one-tensor form. */
  readonly constant?: ElementwiseConstant;
}

/**
 * Element-wise `a op b` with broadcasting: the residual add, SE's channel-wise multiply
 * (`[N, H, W, C] × [N, 1, 1, C]`), a scale or offset by a constant. `add`, `sub`, `mul` and
 * `div` are separate layer kinds with this one shape (a union, so `type` narrows it).
 */
export type ElementwiseLayer<Op extends ElementwiseOp = ElementwiseOp> = Op extends ElementwiseOp ? ElementwiseLayerOf<Op> : never;

/** Options of {@link elementwiseLayer}. */
export interface ElementwiseLayerOptions<Op extends ElementwiseOp = ElementwiseOp> {
  op: Op;
  /** Default Keras's: `'add'`, `'subtract'`, `'multiply'`, `'divide'`. */
  name?: string | undefined;
  /** Both operands' shape (the usual residual add), or the tensor operand's beside a `constant`. */
  inputShape?: readonly number[] | undefined;
  /** The two operands' shapes when they differ (broadcasting). Give this or `inputShape`. */
  inputShapes?: readonly (readonly number[])[] | undefined;
  /**
   * Tensor names (model inputs or layers): two, or one beside a `constant`. Default (one-tensor
   * form only): the previous layer's output, filled in by `modelSpec`.
   */
  inputs?: readonly string[] | undefined;
  /** Makes the layer one-tensor: `x op constant` (side `'right'`, default) or `constant op x`. */
  constant?: { shape: readonly number[]; side?: 'left' | 'right' };
}

const DEFAULT_NAMES: Record<ElementwiseOp, string> = { add: 'add', sub: 'subtract', mul: 'multiply', div: 'divide' };

function operandShapes(op: string, options: ElementwiseLayerOptions, count: number): number[][] {
  if (options.inputShapes !== undefined) {
    if (options.inputShape !== undefined) {
      throw new ValueError(op, 'options.inputShapes', 'give options.inputShape or options.inputShapes, not both');
    }
    const shapes: unknown = options.inputShapes;
    if (!Array.isArray(shapes) || shapes.length !== count) {
      throw new ShapeError(op, 'options.inputShapes', `options.inputShapes must be ${count} shape(s), got ${describeValue(shapes)}`);
    }
    return shapes.map((shape, i) => activationShape(op, shape, 1, '[batch, ...]', `options.inputShapes[${i}]`));
  }
  const shape = activationShape(op, options.inputShape, 1, '[batch, ...]');
  return Array.from({ length: count }, () => [...shape]);
}

/**
 * Describes an element-wise binary layer; the output shape is the operands' broadcast shape.
 * With a `constant`, the output must keep the tensor operand's shape (a constant scales or
 * offsets an activation, it never enlarges it).
 * @throws ShapeError / ValueError naming `elementwiseLayer` and the option at fault.
 */
export function elementwiseLayer<Op extends ElementwiseOp>(options: ElementwiseLayerOptions<Op>): ElementwiseLayerOf<Op> {
  const op = `${typeof options?.op === 'string' ? options.op : 'elementwise'}Layer`;
  checkLayerOptions(op, options);
  if (!ELEMENTWISE_OPS.includes(options.op)) {
    throw new ValueError(
      op,
      'options.op',
      `options.op must be one of ${ELEMENTWISE_OPS.map((o) => `'${o}'`).join(', ')}, got ${describeValue(options.op)}`,
    );
  }
  const name = layerName(op, options.name, DEFAULT_NAMES[options.op]);
  let constant: ElementwiseConstant | undefined;
  if (options.constant !== undefined) {
    checkLayerOptions(op, options.constant);
    const side = options.constant.side ?? 'right';
    if (side !== 'left' && side !== 'right') {
      throw new ValueError(op, 'options.constant.side', `options.constant.side must be 'left' or 'right', got ${describeValue(side)}`);
    }
    constant = { shape: constantShape(op, 'options.constant.shape', options.constant.shape), side };
  }
  const inputShapes = operandShapes(op, options, constant === undefined ? 2 : 1);
  const [a, b] = [inputShapes[0]!, constant?.shape ?? inputShapes[1]!];
  const outputShape = broadcastShape(a, b);
  if (outputShape === undefined) {
    const what = constant === undefined ? 'the operands' : 'the input and the constant';
    throw new ShapeError(
      op,
      constant === undefined ? 'options.inputShapes' : 'options.constant.shape',
      `${what} ${formatShape(a)} and ${formatShape(b)} do not broadcast (each dimension, right-aligned, must be equal or 1)`,
    );
  }
  if (constant !== undefined && formatShape(outputShape) !== formatShape(a)) {
    throw new ShapeError(
      op,
      'options.constant.shape',
      `options.constant.shape ${formatShape(b)} would broadcast the input ${formatShape(a)} to ${formatShape(outputShape)}; a constant must not enlarge its input`,
    );
  }
  return {
    type: options.op,
    name,
    ...layerInputs(op, options.inputs, inputShapes.length),
    inputShape: inputShapes[0]!,
    inputShapes,
    outputShape,
    ...(constant === undefined ? {} : { constant }),
  };
}
