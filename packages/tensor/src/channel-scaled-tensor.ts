import { brandClass } from './brand.js';
import { describeValue } from './describe-value.js';
import { ShapeError, ValueError } from './errors.js';
import { HostTensor } from './tensor.js';

const OP = 'ChannelScaledTensor';

/**
 * A host tensor whose elements are another array's, each row of `scale.length` scaled per
 * channel: `data[i] = source[i] · scale[i mod channels]`, a float32 product (one rounding of
 * the exact product, so the same bits whoever computes it: JavaScript, WebAssembly SIMD). It
 * is a convolution filter with a batch norm (or any per-output-channel scale) folded in: the
 * output channel is the innermost index of every sepconv filter layout
 * (standard `[KH, KW, Cin, Cout]`, pointwise `[Cin, Cout]`, depthwise `[KH, KW, C, M]` with
 * output channel `c·M + m`).
 *
 * `data` is computed on its first read and kept. A backend that rearranges weights anyway (the
 * CPU backend packs them into its kernels' panels) reads {@link source} and {@link scale}
 * instead and applies the scale as it packs, so no scaled copy of the weights is ever made
 * (MobileNetV1's is 17 MB, written and faulted in once per model). Like every host tensor,
 * the elements are taken to be immutable: `source` is not copied, and changing it changes
 * this tensor's elements until `data` has been read.
 */
export class ChannelScaledTensor extends HostTensor {
  private scaled: Float32Array | undefined;

  /**
   * @param source the unscaled elements, `sizeOf(shape)` of them (not copied).
   * @param scale one factor per channel of the innermost `scale.length` elements; `scale.length`
   * must divide the element count (not copied).
   * @throws ShapeError when `source` does not fit `shape`, or `scale.length` does not divide it;
   * DTypeError when `source` is not a Float32Array; ValueError when `scale` is not a Float32Array.
   */
  constructor(
    readonly source: Float32Array,
    readonly scale: Float32Array,
    shape: readonly number[],
  ) {
    super(source, shape);
    if (!(scale instanceof Float32Array)) {
      throw new ValueError(OP, 'scale', `scale must be a Float32Array (one factor per channel), got ${describeValue(scale)}`);
    }
    if (scale.length === 0 ? source.length !== 0 : source.length % scale.length !== 0) {
      throw new ShapeError(OP, 'scale', `scale has ${scale.length} channels, which do not divide the ${source.length} elements`);
    }
    // `data` is an own property of every host tensor (so equality checks and spreads see the
    // elements); here it is the same property computed on first read.
    Object.defineProperty(this, 'data', { enumerable: true, configurable: true, get: () => (this.scaled ??= this.computeScaled()) });
  }

  /** Whether `data` has been read, so that a scaled copy of the elements exists. */
  get isMaterialized(): boolean {
    return this.scaled !== undefined;
  }

  /** The same elements as `shape` (same element count), still scaled only when read. */
  reshape(shape: readonly number[]): ChannelScaledTensor {
    return new ChannelScaledTensor(this.source, this.scale, shape);
  }

  private computeScaled(): Float32Array {
    const { source, scale } = this;
    const channels = scale.length;
    const scaled = new Float32Array(source.length);
    // Row by row, not `scale[i % channels]` per element: the integer division made folding
    // MobileNetV1's 4.2M weights most of instantiate's time.
    for (let row = 0; row < source.length; row += channels) {
      for (let c = 0; c < channels; c++) scaled[row + c] = source[row + c]! * scale[c]!;
    }
    return scaled;
  }
}

brandClass(ChannelScaledTensor, 'ChannelScaledTensor');

/**
 * The array a host tensor keeps, read without computing anything: a {@link ChannelScaledTensor}'s
 * unscaled `source` (same length as its `data`), any other host tensor's `data`. For checks of
 * length and type, which must not make a scaled copy.
 */
export function heldData(t: HostTensor): Float32Array {
  return t instanceof ChannelScaledTensor ? t.source : t.data;
}
