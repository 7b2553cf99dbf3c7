import { describeValue, UnsupportedError, ValueError, type Padding } from '@sepconv/tensor';
import type { LayerActivation, LayerSpec } from '@sepconv/graph';
import { unwrap, type Json, type KerasFormat } from './keras-config.js';
import type { SpecBuilder, TensorRef } from './spec-builder.js';

const OP = 'kerasModelSpec';

/** Keras activation names → sepconv's, for both formats; `hard_sigmoid` depends on the format (see {@link KerasLayerContext.activation}). */
const ACTIVATIONS: Readonly<Record<string, LayerActivation>> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  sigmoid: 'sigmoid',
  softmax: 'softmax',
  hard_swish: 'hardSwish',
  hard_silu: 'hardSwish',
  hard_sigmoid: 'hardSigmoid',
};

/**
 * What a lowering (one row of the Keras layer table) gets for its layer: its config, the
 * tensors it reads, typed accessors for the options (errors name the layer and key), and the
 * spec builder to emit into.
 */
export class KerasLayerContext {
  constructor(
    readonly name: string,
    readonly className: string,
    readonly config: Json,
    readonly inputs: readonly TensorRef[],
    readonly builder: SpecBuilder,
    readonly format: KerasFormat,
  ) {}

  /** Refuses this use of the class; the reason goes into the reader's one UnsupportedError. */
  refuse(reason: string): never {
    throw new UnsupportedError(OP, this.name, reason);
  }

  private invalid(key: string, expected: string): never {
    throw new ValueError(OP, this.name, `layer '${this.name}': ${key} must be ${expected}, got ${describeValue(this.config[key])}`);
  }

  /** The one tensor a single-input layer reads. */
  input(): TensorRef {
    if (this.inputs.length !== 1)
      throw new ValueError(OP, this.name, `layer '${this.name}' (${this.className}) reads one tensor, got ${this.inputs.length}`);
    return this.inputs[0]!;
  }

  /** A config value (undefined when absent or null, as Keras writes defaults). */
  value(key: string): unknown {
    const value = Object.hasOwn(this.config, key) ? this.config[key] : undefined;
    return value === null ? undefined : value;
  }

  number(key: string, fallback?: number): number {
    const value = this.value(key) ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) this.invalid(key, 'a finite number');
    return value;
  }

  bool(key: string, fallback: boolean): boolean {
    const value = this.value(key) ?? fallback;
    if (typeof value !== 'boolean') this.invalid(key, 'true or false');
    return value;
  }

  /** An integer or `[height, width]` option (kernel_size, strides, pool_size, dilation_rate, size). */
  pair(key: string, fallback?: readonly [number, number]): [number, number] {
    const value = this.value(key) ?? fallback;
    const list = typeof value === 'number' ? [value, value] : value;
    if (!Array.isArray(list) || list.length !== 2 || !list.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
      this.invalid(key, 'an integer or [height, width]');
    }
    return [list[0], list[1]];
  }

  /** `'same'` or `'valid'`. */
  padding(): Padding {
    const value = this.value('padding') ?? 'valid';
    if (value !== 'same' && value !== 'valid') this.refuse(`padding ${describeValue(value)}; only 'same' and 'valid' run`);
    return value;
  }

  /** Refuses `channels_first`: sepconv runs NHWC. */
  channelsLast(): void {
    const format = this.value('data_format');
    if (format !== undefined && format !== 'channels_last') this.refuse(`data_format ${describeValue(format)}; only channels_last runs`);
  }

  /**
   * The activation named at `key` (a name, or Keras 3's serialised function object). Keras 2's
   * `hard_sigmoid` is `clip(0.2·x + 0.5, 0, 1)`, which is sepconv's `hardSigmoid` (Keras 3's
   * `relu6(x + 3) / 6`) of `1.2·x`: reported as `prescale` 1.2 for the caller to apply first.
   */
  activation(key = 'activation'): { activation: LayerActivation; prescale: number } {
    const value = unwrap(this.value(key) ?? 'linear');
    const activation = typeof value === 'string' && Object.hasOwn(ACTIVATIONS, value) ? ACTIVATIONS[value]! : undefined;
    if (activation === undefined) this.refuse(`activation ${describeValue(value)} is not one sepconv runs (${Object.keys(ACTIVATIONS).join(', ')})`);
    return { activation, prescale: value === 'hard_sigmoid' && !this.format.keras3 ? 1.2 : 1 };
  }

  emit(layer: LayerSpec): TensorRef {
    return this.builder.emit(layer);
  }

  /** Emits a layer named other than the Keras layer whose weights it holds: they are read from the file's `<layer>/…`. */
  emitWeighted(layer: LayerSpec): TensorRef {
    this.builder.weightSources.set(layer.name, this.name);
    return this.builder.emit(layer);
  }

  /** Binds this layer's name to the tensor it produces (when its last spec layer is named otherwise). */
  produces(tensor: TensorRef): void {
    this.builder.bind(this.name, tensor.name);
  }
}
