import { describeValue } from './describe-value.js';
import { ValueError } from './errors.js';
import { QUANTIZED_CAPABILITY_INPUTS } from './quantized-capability-inputs.js';
import type { QuantizedConvWeights } from './quantized-conv-weights.js';
import type { QuantizedConvKernelInputs, QuantizedSeparableKernelInputs } from './quantized-kernel-inputs.js';
import type { QuantizedConv2dOptions } from './quantized-options.js';
import type { QuantizedTensor } from './quantized-tensor.js';

/**
 * One int8 convolution as it will run, for {@link QuantizedWeightPreparingBackend.prepareQuantizedWeights}:
 * the op, its input (only its shape and quantization are read; the batch may be 0), the same
 * weights objects (prepared forms are kept by weights identity) and options.
 */
export type QuantizedKernelCall =
  | {
      readonly op: 'quantizedConv2d' | 'quantizedDepthwiseConv2d' | 'quantizedPointwiseConv2d';
      readonly x: QuantizedTensor;
      readonly weights: QuantizedConvWeights;
      readonly options?: QuantizedConv2dOptions | undefined;
    }
  | {
      readonly op: 'quantizedSeparableConv2d';
      readonly x: QuantizedTensor;
      readonly depthwiseWeights: QuantizedConvWeights;
      readonly pointwiseWeights: QuantizedConvWeights;
      readonly options?: QuantizedConv2dOptions | undefined;
    };

/**
 * The int8 twin of `WeightPreparingBackend`: a backend that rearranges int8 weights for its
 * kernels (the CPU backend widens and packs them into its micro-kernels' panels) does it in
 * `prepareQuantizedWeights(call)`, once, so that a quantized model's first prediction costs what
 * a steady-state one does. Preparing again is a cache hit; the prepared form lives as long as
 * the weights object (or the backend).
 */
export interface QuantizedWeightPreparingBackend {
  /**
   * Prepares the weights `call` will read.
   * @throws the op's own typed errors when `call` is not a valid call of `call.op` (naming
   * `prepareQuantizedWeights` for a malformed `call` itself).
   */
  prepareQuantizedWeights(call: QuantizedKernelCall): void;
}

/** Whether `backend` declares the {@link QuantizedWeightPreparingBackend} capability. */
export function canPrepareQuantizedWeights<B extends object>(backend: B): backend is B & QuantizedWeightPreparingBackend {
  return typeof (backend as Partial<QuantizedWeightPreparingBackend>).prepareQuantizedWeights === 'function';
}

/** The kernel inputs of a {@link QuantizedKernelCall} (geometry, weights, output), validated as the op itself validates its arguments. */
export function quantizedKernelCallInputs(
  call: QuantizedKernelCall,
  op = 'prepareQuantizedWeights',
): QuantizedConvKernelInputs | QuantizedSeparableKernelInputs {
  if (typeof call !== 'object' || call === null)
    throw new ValueError(
      op,
      'call',
      `call must be { op, x, weights (or depthwiseWeights and pointwiseWeights), options? }, got ${describeValue(call)}`,
    );
  switch (call.op) {
    case 'quantizedConv2d':
    case 'quantizedDepthwiseConv2d':
    case 'quantizedPointwiseConv2d':
      return QUANTIZED_CAPABILITY_INPUTS[call.op](call.x, call.weights, call.options);
    case 'quantizedSeparableConv2d':
      return QUANTIZED_CAPABILITY_INPUTS.quantizedSeparableConv2d(call.x, call.depthwiseWeights, call.pointwiseWeights, call.options);
    default:
      throw new ValueError(
        op,
        'call.op',
        `call.op must be 'quantizedConv2d', 'quantizedDepthwiseConv2d', 'quantizedPointwiseConv2d' or 'quantizedSeparableConv2d', got ${describeValue((call as { op: unknown }).op)}`,
      );
  }
}
