import { describe, expect, it } from 'vitest';
import {
  canPrepareQuantizedWeights,
  HostQuantizedTensor,
  QuantizedConvWeights,
  quantizedKernelCallInputs,
  ShapeError,
  ValueError,
  type QuantParams,
} from '../src/index.js';

const input: QuantParams = { scale: 0.5, zeroPoint: 1 };
const output: QuantParams = { scale: 0.25, zeroPoint: -2 };
const x = new HostQuantizedTensor(new Int8Array(0), [0, 5, 6, 4], input);
const pointwise = (inChannels: number, from = input) =>
  new QuantizedConvWeights({
    kind: 'pointwiseConv2d',
    filter: new Int8Array(inChannels * 3).fill(1),
    filterShape: [inChannels, 3],
    weightScales: [0.1, 0.1, 0.1],
    input: from,
    output,
  });
const depthwise = new QuantizedConvWeights({
  kind: 'depthwiseConv2d',
  filter: new Int8Array(9 * 4).fill(2),
  filterShape: [3, 3, 4, 1],
  weightScales: [0.1, 0.1, 0.1, 0.1],
  input,
  output: input,
});

describe('canPrepareQuantizedWeights', () => {
  it('is whether the backend has prepareQuantizedWeights', () => {
    expect(canPrepareQuantizedWeights({ prepareQuantizedWeights: () => {} })).toBe(true);
    expect(canPrepareQuantizedWeights({ prepareWeights: () => {} })).toBe(false);
  });
});

describe('quantizedKernelCallInputs', () => {
  it('gives the geometry the op computes, for an input of batch 0', () => {
    const inputs = quantizedKernelCallInputs({ op: 'quantizedDepthwiseConv2d', x, weights: depthwise, options: { strides: 2, padding: 'same' } });
    expect(
      'geometry' in inputs && 'outHeight' in inputs.geometry && [inputs.geometry.batch, inputs.geometry.outHeight, inputs.geometry.outWidth],
    ).toEqual([0, 3, 3]);
    const separable = quantizedKernelCallInputs({ op: 'quantizedSeparableConv2d', x, depthwiseWeights: depthwise, pointwiseWeights: pointwise(4) });
    expect('pointwise' in separable.geometry && separable.geometry.pointwise.outChannels).toBe(3);
  });

  it('throws the op’s typed errors naming the argument, and names itself for a malformed call', () => {
    expect(() => quantizedKernelCallInputs({ op: 'quantizedPointwiseConv2d', x, weights: pointwise(5) })).toThrow(ShapeError);
    expect(() => quantizedKernelCallInputs({ op: 'quantizedPointwiseConv2d', x, weights: pointwise(4, output) })).toThrow(
      /quantizedPointwiseConv2d: .*x/,
    );
    expect(() => quantizedKernelCallInputs({ op: 'quantizedConv2d', x, weights: depthwise })).toThrow(/quantizedConv2d: weights/);
    expect(() => quantizedKernelCallInputs({ op: 'quantizedAdd', x, weights: depthwise } as never)).toThrow(ValueError);
    expect(() => quantizedKernelCallInputs({ op: 'quantizedAdd', x, weights: depthwise } as never)).toThrow(/prepareQuantizedWeights: call\.op/);
    expect(() => quantizedKernelCallInputs(undefined as never, 'mine')).toThrow(/mine: call/);
  });
});
