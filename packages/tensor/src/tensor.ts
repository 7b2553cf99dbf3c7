import { brandClass, hasBrand } from './brand.js';
import { DTypeError, formatShape, ShapeError } from './errors.js';
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

  /** Use {@link tensor} to build one with validation; this constructor trusts its arguments. */
  constructor(
    readonly data: Float32Array,
    readonly shape: readonly number[],
  ) {
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
 * Creates a host tensor. A `Float32Array` is used as is (not copied); a `number[]` is copied
 * into a new one.
 * @param data elements in row-major order; NHWC for activations.
 * @param shape dimensions, non-negative integers; their product must equal `data.length`.
 * @throws ShapeError when the shape is malformed or does not match the data length.
 * @throws DTypeError when `data` is neither a `Float32Array` nor an array of numbers.
 */
export function tensor(data: Float32Array | readonly number[], shape: readonly number[]): HostTensor {
  assertValidShape('tensor', 'shape', shape);
  let values: Float32Array;
  if (data instanceof Float32Array) {
    values = data;
  } else if (Array.isArray(data)) {
    values = Float32Array.from(data as number[]);
  } else {
    const given = ArrayBuffer.isView(data) ? (data as object).constructor.name : typeof data;
    throw new DTypeError('tensor', 'data', `data must be a Float32Array or an array of numbers, got ${given}`);
  }
  const expected = sizeOf(shape);
  if (values.length !== expected) {
    throw new ShapeError(
      'tensor',
      'data',
      `data length ${values.length} does not match shape ${formatShape(shape)} (${expected} elements)`,
    );
  }
  return new HostTensor(values, Object.freeze([...shape]));
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
