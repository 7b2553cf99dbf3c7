import { randomUniform, type HostTensor } from '@sepconv/tensor';
import type { LayerCase } from './layer-case.js';

/**
 * The tensors of one case, in sepconv's layouts, identical for every contender (seeded), so
 * the bench can check that every engine computed the same thing before it times any.
 */
export type CaseInputs =
  | {
      readonly kind: 'single';
      /** NHWC input. */
      readonly x: HostTensor;
      /** conv2d `[KH, KW, Cin, Cout]`, depthwise `[KH, KW, C, 1]`, pointwise `[Cin, Cout]`. */
      readonly filter: HostTensor;
      /** `[outChannels]`. */
      readonly bias: HostTensor;
    }
  | {
      readonly kind: 'separable';
      readonly x: HostTensor;
      /** `[KH, KW, C, 1]`. */
      readonly depthwiseFilter: HostTensor;
      /** `[C]`. */
      readonly depthwiseBias: HostTensor;
      /** `[C, outChannels]`. */
      readonly pointwiseFilter: HostTensor;
      /** `[outChannels]`. */
      readonly bias: HostTensor;
    };

/**
 * Makes a case's input and weights from `seed`. Weights are scaled by 1/sqrt(fan-in) so
 * outputs stay around 1 and ReLU6 clips some but not all of them: both sides of the
 * epilogue get exercised and the cross-check compares meaningful numbers.
 */
export function makeCaseInputs(layerCase: LayerCase, seed = 1): CaseInputs {
  const [, , , inChannels] = layerCase.inputShape;
  const k = layerCase.kernelSize;
  const x = randomUniform(layerCase.inputShape, seed, -1, 1);
  const scaled = (shape: readonly number[], fanIn: number, salt: number): HostTensor => {
    const limit = Math.sqrt(3 / fanIn);
    return randomUniform(shape, seed * 7919 + salt, -limit, limit);
  };
  const bias = (length: number, salt: number): HostTensor => randomUniform([length], seed * 7919 + salt, -0.1, 0.1);
  switch (layerCase.op) {
    case 'conv2d':
      return {
        kind: 'single',
        x,
        filter: scaled([k, k, inChannels, layerCase.outChannels], k * k * inChannels, 1),
        bias: bias(layerCase.outChannels, 2),
      };
    case 'depthwiseConv2d':
      return { kind: 'single', x, filter: scaled([k, k, inChannels, 1], k * k, 1), bias: bias(inChannels, 2) };
    case 'pointwiseConv2d':
      return { kind: 'single', x, filter: scaled([inChannels, layerCase.outChannels], inChannels, 1), bias: bias(layerCase.outChannels, 2) };
    case 'separableConv2d':
    case 'depthwiseThenPointwise':
      return {
        kind: 'separable',
        x,
        depthwiseFilter: scaled([k, k, inChannels, 1], k * k, 1),
        depthwiseBias: bias(inChannels, 2),
        pointwiseFilter: scaled([inChannels, layerCase.outChannels], inChannels, 3),
        bias: bias(layerCase.outChannels, 4),
      };
  }
}
