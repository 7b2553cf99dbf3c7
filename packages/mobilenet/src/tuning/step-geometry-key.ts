import type { ConvStep, SeparableStep } from '../runtime/model-plan.js';

/**
 * What decides a convolution step's fastest variant, as a string: op, input shape, filter
 * shapes, strides, dilations, padding, activations and which biases exist. Two steps with equal
 * keys are tuned once; with the device fingerprint it is the {@link TuneCache} key.
 */
export function stepGeometryKey(step: ConvStep | SeparableStep, inputShape: readonly number[]): string {
  const common = { x: inputShape, strides: step.strides, dilations: step.dilations, padding: step.padding };
  return JSON.stringify(
    step.kind === 'conv'
      ? { op: step.op, ...common, filter: step.filter.shape, bias: step.bias !== undefined, activation: step.activation }
      : {
          op: 'separableConv2d',
          ...common,
          depthwiseFilter: step.depthwiseFilter.shape,
          pointwiseFilter: step.pointwiseFilter.shape,
          depthwiseBias: step.depthwiseBias !== undefined,
          bias: step.bias !== undefined,
          depthwiseActivation: step.depthwiseActivation,
          activation: step.activation,
        },
  );
}
