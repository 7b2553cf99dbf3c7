import type { ExplicitPadding, Pool2dOptions } from './options.js';
import type { QuantParams } from './quant-params.js';
import type { QuantizedConvWeights } from './quantized-conv-weights.js';
import type { QuantizedLookupTable } from './quantized-lookup-table.js';
import type { QuantizedAddOptions, QuantizedConv2dOptions, QuantizedGlobalPool2dOptions, QuantizedMulOptions } from './quantized-options.js';
import type { HostQuantizedTensor, QuantizedTensor } from './quantized-tensor.js';
import type { Tensor } from './tensor.js';

/**
 * The int8 operations a backend may declare (each optional, like the float capabilities), with
 * TensorFlow Lite's integer semantics bit for bit: every backend that declares one returns the
 * same int8 values as the reference backend (`@sepconv/tensor/reference`), the oracle.
 * Inputs are {@link QuantizedTensor}s (host ones or the backend's own); results are the
 * backend's int8 tensors, read back with {@link QuantizedCapabilitySignatures.readQuantized}.
 * Each validates its input and throws the typed errors naming op and argument; an input whose
 * quantization differs from what the op's integer parameters were computed for is a ValueError
 * (never a silently wrong result) — `requantize` it first.
 */
export interface QuantizedCapabilitySignatures<Out extends Tensor> {
  /**
   * Float `x` (any shape) to int8 with `output`: `clamp(round(x / scale) + zeroPoint, -128, 127)`,
   * the division in float32 (correctly rounded), ties away from zero, ±Infinity saturating.
   * NaN has no int8 value: a backend that sees the data throws a ValueError naming `x` — from the
   * call, or, for a backend that queues its kernels (the CPU backend), when the queue runs (a read).
   */
  quantize(x: Tensor, output: QuantParams): QuantizedTensor;
  /** Int8 `x` to float32, `scale · (q − zeroPoint)` as one float32 product: the same bits on every backend. */
  dequantize(x: QuantizedTensor): Out;
  /** Int8 `x` to the parameters `output` (TensorFlow Lite's int8 → int8 `QUANTIZE`), e.g. before a concat of mismatched inputs. */
  requantize(x: QuantizedTensor, output: QuantParams): QuantizedTensor;
  /** Int8 standard convolution with `weights` (`kind: 'conv2d'`); `x.quantization` must equal `weights.input`. */
  quantizedConv2d(x: QuantizedTensor, weights: QuantizedConvWeights, options?: QuantizedConv2dOptions): QuantizedTensor;
  /** Int8 depthwise convolution (`weights.kind: 'depthwiseConv2d'`, per output channel `c·M + m`). */
  quantizedDepthwiseConv2d(x: QuantizedTensor, weights: QuantizedConvWeights, options?: QuantizedConv2dOptions): QuantizedTensor;
  /** Int8 1×1 convolution (`weights.kind: 'pointwiseConv2d'`). */
  quantizedPointwiseConv2d(x: QuantizedTensor, weights: QuantizedConvWeights, options?: QuantizedConv2dOptions): QuantizedTensor;
  /**
   * Int8 depthwise (window from `options`) then pointwise; `pointwiseWeights.input` must equal
   * `depthwiseWeights.output`. Bit-identical to the two ops in turn.
   */
  quantizedSeparableConv2d(
    x: QuantizedTensor,
    depthwiseWeights: QuantizedConvWeights,
    pointwiseWeights: QuantizedConvWeights,
    options?: QuantizedConv2dOptions,
  ): QuantizedTensor;
  /** Int8 `a + b` (TensorFlow Lite's `ADD`, broadcasting as the float `add`) quantized to `options.output`. */
  quantizedAdd(a: QuantizedTensor, b: QuantizedTensor, options: QuantizedAddOptions): QuantizedTensor;
  /**
   * Int8 `a · b` (TensorFlow Lite's `MUL`: the product of the zero-point-shifted inputs,
   * requantized with a multiplier for `a.scale · b.scale / output.scale`, clamped), broadcasting
   * as the float `mul` — squeeze-and-excitation's `[N, H, W, C] · [N, 1, 1, C]`, equal shapes, a scalar.
   */
  quantizedMul(a: QuantizedTensor, b: QuantizedTensor, options: QuantizedMulOptions): QuantizedTensor;
  /**
   * Int8 element-wise function by table (any shape): `y[i] = table.values[x[i] + 128]`, quantized
   * with `table.output`; `x.quantization` must equal `table.input`. How int8 models run hard-swish,
   * hard-sigmoid, sigmoid, … (see `activationLookupTable`).
   */
  quantizedLookup(x: QuantizedTensor, table: QuantizedLookupTable): QuantizedTensor;
  /** Int8 average or max pooling; the result keeps `x`'s quantization (as TensorFlow Lite's int8 pools). */
  quantizedPool2d(x: QuantizedTensor, options: Pool2dOptions): QuantizedTensor;
  /** Int8 average (`MEAN`, to `options.output`, default `x`'s) or max over height and width, `[batch, 1, 1, channels]`. */
  quantizedGlobalPool2d(x: QuantizedTensor, options: QuantizedGlobalPool2dOptions): QuantizedTensor;
  /** Int8 concat along `options.axis` (default −1); every input must have `xs[0]`'s quantization (requantize the others first). */
  quantizedConcat(xs: readonly QuantizedTensor[], options?: { axis?: number | undefined }): QuantizedTensor;
  /** NHWC int8 `x` with `padding` cells of real 0 (its zero point) around height and width. */
  quantizedPad(x: QuantizedTensor, padding: ExplicitPadding): QuantizedTensor;
  /** The same int8 elements under `shape` (same count); the result is disposed independently of `x`. */
  quantizedReshape(x: QuantizedTensor, shape: readonly number[]): QuantizedTensor;
}

/** How int8 data comes back from a backend: every backend built with `defineBackend` has it. */
export interface QuantizedReadback {
  /**
   * Copies an int8 tensor (a host one or the backend's own) to the host, shape and quantization
   * kept. @throws UnsupportedError for a device tensor of a backend without int8 tensors.
   */
  readQuantized(x: QuantizedTensor): Promise<HostQuantizedTensor>;
}
