import { brandClass, hasBrand } from './brand.js';
import { DTypeError, formatShape, ShapeError } from './errors.js';
import { checkQuantParams, type QuantParams } from './quant-params.js';
import { assertValidShape, sizeOf } from './shape.js';

/**
 * An int8 activation tensor with per-tensor affine quantization: element `q` stands for
 * `quantization.scale · (q − quantization.zeroPoint)`. NHWC like float activations.
 *
 * A separate interface rather than an `'int8'` member of {@link DType}: every float op and
 * validator (`assertTensor`) takes `Tensor` and checks `dtype === 'float32'`, so an int8 tensor
 * can never reach a float kernel by accident, and a backend gains int8 by adding optional
 * kernels that take `QuantizedTensor` — the `Backend` contract of float ops stays as it is.
 * The shape of the interface (`location`, `dispose`) is `Tensor`'s, so a backend can hold the
 * int8 data in its own memory (a GPU buffer) exactly as it holds float tensors.
 * Weights are not `QuantizedTensor`s: they are per-channel (see `symmetricPerChannel`).
 */
export interface QuantizedTensor {
  readonly shape: readonly number[];
  readonly dtype: 'int8';
  readonly quantization: QuantParams;
  /** Element count, the product of `shape`. */
  readonly size: number;
  /** `'host'` for data in JavaScript memory, otherwise the name of the backend that owns it. */
  readonly location: string;
  /** Releases the memory behind the tensor; idempotent. */
  dispose(): void;
  readonly isDisposed: boolean;
}

/**
 * A {@link QuantizedTensor} whose int8 data is in JavaScript memory. Branded like `HostTensor`
 * (`Symbol.for('sepconv.HostQuantizedTensor')`), so `instanceof` recognises one built by another
 * installed copy of `@sepconv/tensor`.
 */
export class HostQuantizedTensor implements QuantizedTensor {
  static [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(this, value);
  }

  readonly dtype = 'int8' as const;
  readonly location = 'host';
  readonly shape: readonly number[];
  readonly size: number;
  readonly quantization: QuantParams;
  private disposed = false;

  /**
   * Wraps `data` (not copied) as a tensor of `shape` (frozen copy) with `quantization` (its scale
   * rounded to float32, see `checkQuantParams`).
   * @throws ShapeError for a malformed shape or a length that differs from it.
   * @throws DTypeError when `data` is not an `Int8Array`.
   * @throws ValueError for a non-positive scale or a zero point outside `[-128, 127]`.
   */
  constructor(
    readonly data: Int8Array,
    shape: readonly number[],
    quantization: QuantParams,
  ) {
    const op = 'HostQuantizedTensor';
    assertValidShape(op, 'shape', shape);
    // The tag, not instanceof: an Int8Array from another realm (a vm context, an iframe) is one too.
    if (!ArrayBuffer.isView(data) || Object.prototype.toString.call(data) !== '[object Int8Array]') {
      const given = data === null ? 'null' : typeof data === 'object' ? ((data as object).constructor?.name ?? 'object') : typeof data;
      throw new DTypeError(op, 'data', `data must be an Int8Array, got ${given}`);
    }
    if (data.length !== sizeOf(shape)) {
      throw new ShapeError(op, 'data', `data length ${data.length} does not match shape ${formatShape(shape)} (${sizeOf(shape)} elements)`);
    }
    this.shape = Object.freeze([...shape]);
    this.quantization = Object.freeze(checkQuantParams(op, 'quantization', quantization));
    this.size = data.length;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    this.disposed = true;
  }
}

brandClass(HostQuantizedTensor, 'HostQuantizedTensor');

/** True when the quantized tensor's data is in JavaScript memory (`t.data` is readable). */
export function isHostQuantizedTensor(t: unknown): t is HostQuantizedTensor {
  return hasBrand(HostQuantizedTensor, t);
}
