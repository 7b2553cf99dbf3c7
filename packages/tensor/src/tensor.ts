import { brandClass, hasBrand } from './brand.js';
import { describeValue } from './describe-value.js';
import { DTypeError, formatShape, ShapeError, ValueError } from './errors.js';
import { assertValidShape, sizeOf } from './shape.js';

/** The only element type sepconv computes in. */
export type DType = 'float32';

/**
 * An n-dimensional float32 array. Activations are NHWC `[batch, height, width, channels]`.
 * Host tensors (from {@link tensor}) hold their data in a `Float32Array`; a backend may return
 * tensors whose data lives elsewhere (GPU memory) — `backend.read(t)` is the only way back.
 */
export interface Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Element count, the product of `shape`. */
  readonly size: number;
  /** `'host'` for data in JavaScript memory, otherwise the name of the backend that owns it. */
  readonly location: string;
  /** Releases the memory behind the tensor (device memory for GPU tensors); idempotent. */
  dispose(): void;
  /** True once {@link Tensor.dispose} has run. */
  readonly isDisposed: boolean;
}

/**
 * A tensor whose float32 data is in JavaScript memory. `instanceof HostTensor` (and
 * {@link isHostTensor}) also recognise host tensors of another installed copy of
 * `@sepconv/tensor`: the class is branded with `Symbol.for('sepconv.HostTensor')`.
 */
export class HostTensor implements Tensor {
  static [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(this, value);
  }

  readonly dtype: DType = 'float32';
  readonly location = 'host';
  readonly size: number;
  private disposed = false;

  /**
   * Wraps `data` (not copied) as a tensor of `shape` (kept as given: {@link tensor} freezes a
   * copy). Validated, as a kernel would otherwise read past the data into unrelated memory.
   * @throws ShapeError when the shape is malformed or its element count differs from `data.length`.
   * @throws DTypeError when `data` is not a `Float32Array`.
   */
  constructor(
    readonly data: Float32Array,
    readonly shape: readonly number[],
  ) {
    assertValidShape('HostTensor', 'shape', shape);
    assertFloat32Data('HostTensor', 'data', data, shape);
    this.size = data.length;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    this.disposed = true;
  }
}

/**
 * Creates a host tensor. A `Float32Array` is used as is (not copied); an array of numbers is
 * copied into a new one (NaN and infinities are numbers and are kept). Other typed arrays are
 * refused rather than converted, so that integer or float64 data is never narrowed unnoticed.
 * @param data elements in row-major order; NHWC for activations.
 * @param shape dimensions, non-negative integers; their product must equal `data.length`.
 * @throws ShapeError when the shape is malformed or does not match the data length.
 * @throws ValueError when an array element is not a number (the message gives its index).
 * @throws DTypeError when `data` is neither a `Float32Array` nor an array.
 */
export function tensor(data: Float32Array | readonly number[], shape: readonly number[]): HostTensor {
  assertValidShape('tensor', 'shape', shape);
  const values = toFloat32('tensor', data);
  assertFloat32Data('tensor', 'data', values, shape);
  return new HostTensor(values, Object.freeze([...shape]));
}

function toFloat32(op: string, data: unknown): Float32Array {
  if (data instanceof Float32Array) return data;
  if (Array.isArray(data)) {
    // An index loop sees holes (as undefined), which some() and forEach() would skip.
    for (let index = 0; index < data.length; index++) {
      const value: unknown = data[index];
      if (typeof value !== 'number') {
        throw new ValueError(op, 'data', `data must hold numbers only, got ${describeValue(value)} at index ${index}`);
      }
    }
    return Float32Array.from(data as number[]);
  }
  const given = ArrayBuffer.isView(data) ? (data as object).constructor.name : typeof data;
  throw new DTypeError(op, 'data', `data must be a Float32Array or an array of numbers, got ${given}`);
}

/**
 * Checks that a host tensor's `data` is a `Float32Array` holding exactly the elements `shape`
 * says; kernels index by shape, so a shorter array would have them read unrelated memory.
 * @throws DTypeError when `data` is not a `Float32Array`; ShapeError when its length differs.
 */
export function assertFloat32Data(op: string, argument: string, data: unknown, shape: readonly number[]): void {
  const subject = argument === 'data' ? 'data' : `${argument} data`;
  // The tag, not instanceof: a Float32Array from another realm (a vm context, an iframe) is one too.
  if (!ArrayBuffer.isView(data) || Object.prototype.toString.call(data) !== '[object Float32Array]') {
    const given = data === null ? 'null' : typeof data === 'object' ? ((data as object).constructor?.name ?? 'object') : typeof data;
    throw new DTypeError(op, argument, `${subject} must be a Float32Array, got ${given}`);
  }
  const expected = sizeOf(shape);
  const length = (data as Float32Array).length;
  if (length !== expected) {
    throw new ShapeError(op, argument, `${subject} length ${length} does not match shape ${formatShape(shape)} (${expected} elements)`);
  }
}

brandClass(HostTensor, 'HostTensor');

/** A zero-filled host tensor of the given shape. */
export function zeros(shape: readonly number[]): HostTensor {
  assertValidShape('zeros', 'shape', shape);
  return new HostTensor(new Float32Array(sizeOf(shape)), Object.freeze([...shape]));
}

/**
 * True when the tensor's data is in JavaScript memory (`t.data` is readable), whichever installed
 * copy of `@sepconv/tensor` built it.
 */
export function isHostTensor(t: Tensor): t is HostTensor {
  return hasBrand(HostTensor, t);
}
