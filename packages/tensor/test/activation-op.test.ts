// The element-wise activation op: its validator and the reference kernel.
import { describe, expect, it } from 'vitest';
import { activate, DTypeError, tensor, unaryGeometry, ValueError, type Activation, type Tensor } from '../src/index.js';
import { createReferenceBackend, referenceActivation } from '../src/reference/index.js';

const backend = createReferenceBackend();

describe('activate: the new activations', () => {
  it('computes sigmoid, hardSigmoid and hardSwish by their formulas', () => {
    expect(activate(0, 'sigmoid')).toBe(0.5);
    expect(activate(2, 'sigmoid')).toBeCloseTo(0.8807970779778823, 15);
    expect([-4, -3, 0, 1.5, 3, 9].map((v) => activate(v, 'hardSigmoid'))).toEqual([0, 0, 0.5, 0.75, 1, 1]);
    // x · relu6(x + 3) / 6: 0 below −3, x above 3, x(x+3)/6 between.
    expect([-4, -3, -1, 0, 1.5, 3, 9].map((v) => activate(v, 'hardSwish'))).toEqual([-0, -0, -1 / 3, 0, 1.125, 3, 9]);
  });

  it('propagates NaN and saturates at the infinities as the formulas do', () => {
    for (const name of ['sigmoid', 'hardSigmoid', 'hardSwish'] as const) expect(activate(Number.NaN, name)).toBeNaN();
    expect([activate(Infinity, 'sigmoid'), activate(-Infinity, 'sigmoid')]).toEqual([1, 0]);
    expect([activate(Infinity, 'hardSigmoid'), activate(-Infinity, 'hardSigmoid')]).toEqual([1, 0]);
    expect(activate(Infinity, 'hardSwish')).toBe(Infinity);
    expect(activate(-Infinity, 'hardSwish')).toBeNaN(); // −∞ · 0
  });
});

describe('unaryGeometry', () => {
  it('keeps the shape of x', () => {
    expect(unaryGeometry(tensor([1, 2, 3, 4, 5, 6], [1, 2, 3]), 'hardSwish')).toEqual({ shape: [1, 2, 3], size: 6, activation: 'hardSwish' });
    expect(unaryGeometry(tensor([], [0, 4]), 'relu')).toEqual({ shape: [0, 4], size: 0, activation: 'relu' });
  });

  it('names activation for a missing or unknown name, x for a bad tensor', () => {
    const x = tensor([1], [1]);
    const missing: unknown = undefined;
    expect(() => unaryGeometry(x, missing as Activation)).toThrow(ValueError);
    expect(() => unaryGeometry(x, missing as Activation)).toThrow('activation: activation is required');
    const gelu: unknown = 'gelu';
    expect(() => unaryGeometry(x, gelu as Activation)).toThrow(
      "activation: activation must be one of 'linear', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'hardSwish', got 'gelu'",
    );
    const int: unknown = { shape: [1], dtype: 'int32', size: 1, location: 'host', isDisposed: false, dispose() {} };
    expect(() => unaryGeometry(int as Tensor, 'relu')).toThrow(DTypeError);
  });
});

describe('reference activation', () => {
  it('applies the activation element-wise through the backend', async () => {
    if (backend.activation === undefined) throw new Error('the reference backend must declare activation');
    const y = backend.activation(tensor([-4, -1, 0, 1, 4, 8], [1, 1, 2, 3]), 'hardSigmoid');
    expect(y.shape).toEqual([1, 1, 2, 3]);
    expect(Array.from(await backend.read(y))).toEqual([0, 2 / 6, 0.5, 4 / 6, 1, 1].map(Math.fround));
  });

  it('rounds the float64 result to float32 once', () => {
    const x = new Float32Array([0.1, -2.5]);
    const out = referenceActivation(x, unaryGeometry(tensor(x, [2]), 'sigmoid'));
    expect(Array.from(out)).toEqual([Math.fround(1 / (1 + Math.exp(-x[0]!))), Math.fround(1 / (1 + Math.exp(2.5)))]);
  });
});
