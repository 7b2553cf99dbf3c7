// What a model file or a careless caller can hand the layer builders: values nested 100,000
// deep, or shapes whose product is Infinity or NaN. Each is refused with a typed error whose
// message stays short, built without recursion (tensor's describeValue).
import { SepconvError, ShapeError, ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { activationLayer, depthwiseConv2dLayer, modelSpec, reshapeLayer } from '../src/index.js';

/** `[[[…[0]…]]]`, `depth` arrays deep, built without recursion. */
function nested(depth: number): unknown[] {
  let value: unknown[] = [0];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Runs `call`, which must throw a SepconvError, and returns it. */
function thrownBy(call: () => unknown): SepconvError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(SepconvError);
    return error as SepconvError;
  }
  throw new Error('the call did not throw');
}

describe('shapes whose product is Infinity or NaN', () => {
  it('layer builders refuse an input shape with them', () => {
    expect(() => activationLayer({ inputShape: [0, 1e300, 1e300], activation: 'relu' })).toThrow(ShapeError);
  });
});

describe('errors about deeply nested values do not overflow the stack', () => {
  const deep = nested(100_000);
  const cases: [string, () => unknown][] = [
    ['reshapeLayer targetShape', () => reshapeLayer({ inputShape: [1, 2, 2, 3], targetShape: deep as number[] })],
    ['activationLayer inputShape', () => activationLayer({ inputShape: deep as number[], activation: 'relu' })],
    ['depthwiseConv2dLayer strides', () => depthwiseConv2dLayer({ inputShape: [1, 4, 4, 3], kernelSize: 3, strides: deep as unknown as number })],
    ['modelSpec layers[0]', () => modelSpec({ inputShape: [1, 4, 4, 3], layers: [deep as never], name: 'm' })],
  ];
  for (const [what, call] of cases) {
    it(what, () => {
      const error = thrownBy(call);
      expect(error).toBeInstanceOf(error instanceof ShapeError ? ShapeError : ValueError);
      expect(error.message.length).toBeLessThan(400);
    });
  }
});
