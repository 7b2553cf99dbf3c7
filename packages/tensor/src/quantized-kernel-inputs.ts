/**
 * The inputs of each int8 capability's kernel, already validated: geometry computed, quantization
 * checked, integer requantization parameters ready. `output` is always the result's quantization,
 * so a kernel builds its result tensor from `geometry` (or `x`'s shape) and `output` alone.
 * Every int8 input may be a `HostQuantizedTensor` or one of the backend's own int8 tensors.
 */
import type { BinaryGeometry } from './binary-geometry.js';
import type { ConcatGeometry } from './concat-geometry.js';
import type { Conv2dGeometry, SeparableConv2dGeometry } from './conv-geometry.js';
import type { GlobalPool2dGeometry } from './global-pool2d-geometry.js';
import type { PadGeometry } from './pad-geometry.js';
import type { Pool2dGeometry } from './pool2d-geometry.js';
import type { QuantParams } from './quant-params.js';
import type { QuantizedConvWeights } from './quantized-conv-weights.js';
import type { QuantizedLookupTable } from './quantized-lookup-table.js';
import type { QuantizedTensor } from './quantized-tensor.js';
import type {
  ActivationRange,
  AddRequantization,
  GlobalPool2dRequantization,
  MulRequantization,
  RequantizeRequantization,
} from './requantization.js';
import type { ReshapeGeometry } from './reshape-geometry.js';

/** `quantize`: float `x` (any shape) to int8 with `output` (float32 division, ties away from zero, saturated). */
export interface QuantizeKernelInputs<T> {
  readonly x: T;
  readonly output: QuantParams;
}

/** `dequantize`: int8 `x` (any shape) to float32, `x.quantization.scale · (q − zeroPoint)` as one float32 product. */
export interface DequantizeKernelInputs {
  readonly x: QuantizedTensor;
}

/** `requantize`: int8 `x` (any shape) to the parameters `output`. */
export interface RequantizeKernelInputs {
  readonly x: QuantizedTensor;
  readonly output: QuantParams;
  readonly requantization: RequantizeRequantization;
}

/**
 * An int8 convolution (`quantizedConv2d`, `quantizedDepthwiseConv2d`, `quantizedPointwiseConv2d`):
 * `weights.kind` is the op's, `x.quantization` equals `weights.input`, `output` is `weights.output`,
 * and `weights.requantization` holds the integer epilogue. `geometry.activation` and
 * `geometry.hasBias` describe the weights (the clamp is already in the requantization record).
 */
export interface QuantizedConvKernelInputs {
  readonly x: QuantizedTensor;
  readonly weights: QuantizedConvWeights;
  readonly geometry: Conv2dGeometry;
  readonly output: QuantParams;
}

/**
 * `quantizedSeparableConv2d`: depthwise then pointwise, `pointwiseWeights.input` equal to
 * `depthwiseWeights.output` (the int8 intermediate a fused kernel may keep in registers, with
 * exactly the two separate ops' integers). `output` is `pointwiseWeights.output`.
 */
export interface QuantizedSeparableKernelInputs {
  readonly x: QuantizedTensor;
  readonly depthwiseWeights: QuantizedConvWeights;
  readonly pointwiseWeights: QuantizedConvWeights;
  readonly geometry: SeparableConv2dGeometry;
  readonly output: QuantParams;
}

/** `quantizedAdd`: `geometry.op` is `'add'`; `requantization` from `addRequantization(a, b, output, activation)`. */
export interface QuantizedAddKernelInputs {
  readonly a: QuantizedTensor;
  readonly b: QuantizedTensor;
  readonly geometry: BinaryGeometry;
  readonly output: QuantParams;
  readonly requantization: AddRequantization;
}

/** `quantizedMul`: `geometry.op` is `'mul'`; `requantization` from `mulRequantization(a, b, output, activation)`. */
export interface QuantizedMulKernelInputs {
  readonly a: QuantizedTensor;
  readonly b: QuantizedTensor;
  readonly geometry: BinaryGeometry;
  readonly output: QuantParams;
  readonly requantization: MulRequantization;
}

/**
 * `quantizedLookup`: `x.quantization` equals `table.input`; element `i` of the result is
 * `table.values[x[i] + 128]`, and `output` is `table.output`.
 */
export interface QuantizedLookupKernelInputs {
  readonly x: QuantizedTensor;
  readonly table: QuantizedLookupTable;
  readonly output: QuantParams;
}

/** `quantizedPool2d`: `output` is `x.quantization`; `requantization` is the (linear) clamp `[-128, 127]`. */
export interface QuantizedPool2dKernelInputs {
  readonly x: QuantizedTensor;
  readonly geometry: Pool2dGeometry;
  readonly output: QuantParams;
  readonly requantization: ActivationRange;
}

/** `quantizedGlobalPool2d`: for `'max'`, `output` is `x.quantization` and `requantization` unused. */
export interface QuantizedGlobalPool2dKernelInputs {
  readonly x: QuantizedTensor;
  readonly geometry: GlobalPool2dGeometry;
  readonly output: QuantParams;
  readonly requantization: GlobalPool2dRequantization;
}

/** `quantizedConcat`: every input has `output` as its quantization (a copy, no arithmetic). */
export interface QuantizedConcatKernelInputs {
  readonly xs: readonly QuantizedTensor[];
  readonly geometry: ConcatGeometry;
  readonly output: QuantParams;
}

/** `quantizedPad`: `geometry.value` is `x`'s zero point (real 0); `output` is `x.quantization`. */
export interface QuantizedPadKernelInputs {
  readonly x: QuantizedTensor;
  readonly geometry: PadGeometry;
  readonly output: QuantParams;
}

/** `quantizedReshape`: the same bytes under `geometry.shape`; `output` is `x.quantization`. */
export interface QuantizedReshapeKernelInputs {
  readonly x: QuantizedTensor;
  readonly geometry: ReshapeGeometry;
  readonly output: QuantParams;
}

/**
 * The inputs of each int8 capability's kernel, by capability (merged into
 * `CapabilityKernelInputs`). Every kernel but `dequantize` returns an int8 tensor.
 */
export interface QuantizedCapabilityKernelInputs<T> {
  quantize: QuantizeKernelInputs<T>;
  dequantize: DequantizeKernelInputs;
  requantize: RequantizeKernelInputs;
  quantizedConv2d: QuantizedConvKernelInputs;
  quantizedDepthwiseConv2d: QuantizedConvKernelInputs;
  quantizedPointwiseConv2d: QuantizedConvKernelInputs;
  quantizedSeparableConv2d: QuantizedSeparableKernelInputs;
  quantizedAdd: QuantizedAddKernelInputs;
  quantizedMul: QuantizedMulKernelInputs;
  quantizedLookup: QuantizedLookupKernelInputs;
  quantizedPool2d: QuantizedPool2dKernelInputs;
  quantizedGlobalPool2d: QuantizedGlobalPool2dKernelInputs;
  quantizedConcat: QuantizedConcatKernelInputs;
  quantizedPad: QuantizedPadKernelInputs;
  quantizedReshape: QuantizedReshapeKernelInputs;
}

/** The int8 capabilities whose kernels return an int8 tensor (all but `dequantize`). */
export type QuantizedResultCapability = Exclude<keyof QuantizedCapabilityKernelInputs<unknown>, 'dequantize'>;
