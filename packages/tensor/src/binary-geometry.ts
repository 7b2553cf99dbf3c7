import { checkActivation } from './activation.js';
import { assertTensor, checkOptionsObject } from './conv-geometry.js';
import { formatShape, ShapeError } from './errors.js';
import type { Activation, BinaryOptions } from './options.js';
import { MAX_ELEMENTS, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/** The element-wise binary ops; `div` follows IEEE (`x / 0` is ±Infinity, `0 / 0` NaN). */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

/**
 * Everything an element-wise binary kernel needs, computed once from the call. `shape` is the
 * broadcast shape of `a` and `b` (NumPy / ONNX rules) and of the result. `aStrides` and
 * `bStrides` have the result's rank: element `[i0, …, ik]` of the result reads
 * `a[Σ i_axis · aStrides[axis]]` (row-major flat index), with stride 0 on every axis where the
 * operand has size 1 or is missing (broadcast), so kernels index without knowing the rules.
 */
export interface BinaryGeometry {
  readonly op: BinaryOp;
  readonly shape: readonly number[];
  readonly size: number;
  readonly aShape: readonly number[];
  readonly bShape: readonly number[];
  readonly aStrides: readonly number[];
  readonly bStrides: readonly number[];
  readonly activation: Activation;
}

/**
 * The broadcast shape: operands right-aligned, each pair of dimensions equal or one of them 1.
 * @throws ShapeError naming `op` and `b` when a pair is neither.
 */
function broadcastShape(op: string, aShape: readonly number[], bShape: readonly number[]): number[] {
  const rank = Math.max(aShape.length, bShape.length);
  const shape = new Array<number>(rank);
  for (let axis = 0; axis < rank; axis++) {
    const aDim = aShape[axis - rank + aShape.length] ?? 1;
    const bDim = bShape[axis - rank + bShape.length] ?? 1;
    if (aDim !== bDim && aDim !== 1 && bDim !== 1) {
      throw new ShapeError(
        op,
        'b',
        `a ${formatShape(aShape)} and b ${formatShape(bShape)} do not broadcast: axis ${axis - rank} has ${aDim} and ${bDim} (right-aligned dimensions must be equal or 1)`,
      );
    }
    shape[axis] = aDim === 1 ? bDim : aDim;
  }
  return shape;
}

/** Row-major strides of `operand` over the result's `rank` axes, 0 where it is broadcast. */
function broadcastStrides(operand: readonly number[], rank: number): number[] {
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let axis = operand.length - 1; axis >= 0; axis--) {
    const dim = operand[axis]!;
    if (dim !== 1) strides[axis + rank - operand.length] = stride;
    stride *= dim;
  }
  return strides;
}

/**
 * Validates `op(a, b, options)` for an element-wise binary op and normalises it into a
 * {@link BinaryGeometry}. Broadcasting covers a scalar (`[]` or `[1]`), a per-channel vector
 * (`[C]` or `[1, 1, 1, C]`), equal shapes and squeeze-and-excitation's `[N, 1, 1, C]` against
 * `[N, H, W, C]`, in either order.
 * @param options.activation applied to the float32 result; any {@link Activation}, default `'linear'`.
 * @throws ShapeError naming the op and `b` when the shapes do not broadcast, or the result would exceed MAX_ELEMENTS.
 * @throws DTypeError when either tensor is not float32.
 * @throws ValueError for a non-tensor argument, a disposed tensor, a malformed options object
 * or an unknown activation.
 */
export function binaryGeometry(op: BinaryOp, a: Tensor, b: Tensor, options?: BinaryOptions): BinaryGeometry {
  assertTensor(op, 'a', a);
  assertTensor(op, 'b', b);
  checkOptionsObject(op, options);
  const activation = checkActivation(op, 'options.activation', options?.activation);
  return broadcastGeometry(op, a.shape, b.shape, activation);
}

/**
 * The {@link BinaryGeometry} of `op` over operands of shapes `aShape` and `bShape` (already
 * validated), for an int8 op as for a float one; errors name `name` (default `op`) and `b`.
 * @throws ShapeError when the shapes do not broadcast or the result would exceed MAX_ELEMENTS.
 */
export function broadcastGeometry(
  op: BinaryOp,
  aShape: readonly number[],
  bShape: readonly number[],
  activation: Activation,
  name: string = op,
): BinaryGeometry {
  const shape = broadcastShape(name, aShape, bShape);
  const size = sizeOf(shape);
  if (size > MAX_ELEMENTS) {
    throw new ShapeError(
      name,
      'b',
      `a ${formatShape(aShape)} and b ${formatShape(bShape)} broadcast to ${formatShape(shape)}, more than the ${MAX_ELEMENTS} (2^31 - 1) elements a tensor may hold`,
    );
  }
  return Object.freeze({
    op,
    shape: Object.freeze(shape),
    size,
    aShape: Object.freeze([...aShape]),
    bShape: Object.freeze([...bShape]),
    aStrides: Object.freeze(broadcastStrides(aShape, shape.length)),
    bStrides: Object.freeze(broadcastStrides(bShape, shape.length)),
    activation,
  });
}
