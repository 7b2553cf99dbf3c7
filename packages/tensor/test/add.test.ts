// The optional add capability: its validator and the reference kernel that defines it.
import { describe, expect, it } from 'vitest';
import { addGeometry, DTypeError, ShapeError, tensor, UnsupportedError, ValueError, type Activation, type Tensor } from '../src/index.js';
import { createReferenceBackend, referenceAdd } from '../src/reference/index.js';

const backend = createReferenceBackend();

function add(a: Tensor, b: Tensor, options?: { activation?: Activation }): Tensor {
  if (backend.add === undefined) throw new Error('the reference backend must declare add');
  return backend.add(a, b, options);
}

describe('addGeometry', () => {
  it('takes any rank and defaults the activation to linear', () => {
    expect(addGeometry(tensor([1, 2, 3, 4, 5, 6], [2, 3]), tensor([0, 0, 0, 0, 0, 0], [2, 3]))).toEqual({
      op: 'add',
      shape: [2, 3],
      size: 6,
      aShape: [2, 3],
      bShape: [2, 3],
      aStrides: [3, 1],
      bStrides: [3, 1],
      activation: 'linear',
    });
    expect(addGeometry(tensor([7], []), tensor([1], []), { activation: 'relu6' })).toMatchObject({ shape: [], size: 1, activation: 'relu6' });
  });

  it('names add and b when the shapes do not broadcast, even with the same element count', () => {
    const a = tensor(new Array(6).fill(0), [1, 2, 3]);
    expect(() => addGeometry(a, tensor(new Array(6).fill(0), [1, 3, 2]))).toThrow(ShapeError);
    expect(() => addGeometry(a, tensor(new Array(6).fill(0), [1, 3, 2]))).toThrow(
      'add: a [1, 2, 3] and b [1, 3, 2] do not broadcast: axis -2 has 2 and 3 (right-aligned dimensions must be equal or 1)',
    );
    expect(() => addGeometry(a, tensor(new Array(6).fill(0), [6]))).toThrow(ShapeError);
    try {
      addGeometry(a, tensor([0, 0], [2]));
    } catch (error) {
      expect(error).toMatchObject({ op: 'add', argument: 'b' });
    }
    expect.assertions(4);
  });

  it('rejects an unknown activation, a malformed options object, a non-float32 or disposed tensor', () => {
    const a = tensor([1, 2], [2]);
    const gelu: unknown = 'gelu';
    expect(() => addGeometry(a, a, { activation: gelu as Activation })).toThrow(ValueError);
    expect(() => addGeometry(a, a, { activation: gelu as Activation })).toThrow(
      "add: options.activation must be one of 'linear', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'hardSwish', got 'gelu'",
    );
    const list: unknown = [];
    expect(() => addGeometry(a, a, list as { activation?: Activation })).toThrow(ValueError);
    const int: unknown = { shape: [2], dtype: 'int32', size: 2, location: 'host', isDisposed: false, dispose() {} };
    expect(() => addGeometry(a, int as Tensor)).toThrow(DTypeError);
    expect(() => addGeometry(a, int as Tensor)).toThrow("add: b must be float32, got 'int32'");
    const gone = tensor([1, 2], [2]);
    gone.dispose();
    expect(() => addGeometry(gone, a)).toThrow('add: a has been disposed');
  });
});

describe('reference add', () => {
  it('adds element-wise and keeps the shape', async () => {
    const y = add(tensor([1, 2, 3, 4], [1, 1, 2, 2]), tensor([10, 20, 30, 40], [1, 1, 2, 2]));
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(Array.from(await backend.read(y))).toEqual([11, 22, 33, 44]);
  });

  it('clips after the sum with relu and relu6', async () => {
    const a = tensor([-3, 1, 5, 2], [4]);
    const b = tensor([1, -2, 4, 2], [4]);
    expect(Array.from(await backend.read(add(a, b, { activation: 'relu' })))).toEqual([0, 0, 9, 4]);
    expect(Array.from(await backend.read(add(a, b, { activation: 'relu6' })))).toEqual([0, 0, 6, 4]);
  });

  it('propagates NaN and infinities as IEEE arithmetic does, through the activations too', () => {
    const a = new Float32Array([Number.NaN, Infinity, Infinity, -Infinity, 3.4e38]);
    const b = new Float32Array([1, 1, -Infinity, 5, 3.4e38]);
    const g = addGeometry(tensor(a, [5]), tensor(b, [5]), { activation: 'relu6' });
    expect(Array.from(referenceAdd(a, b, g))).toEqual([Number.NaN, 6, Number.NaN, 0, 6]);
    const linear = referenceAdd(a, b, { ...g, activation: 'linear' });
    // 3.4e38 + 3.4e38 overflows float32 to +Infinity, as a GPU or Wasm f32 add does.
    expect(Array.from(linear)).toEqual([Number.NaN, Infinity, Number.NaN, -Infinity, Infinity]);
  });

  it('gives an empty result for an empty batch', async () => {
    const y = add(tensor([], [0, 2, 2, 3]), tensor([], [0, 2, 2, 3]));
    expect(y.shape).toEqual([0, 2, 2, 3]);
    expect((await backend.read(y)).length).toBe(0);
  });

  it('refuses a tensor that is not on the host', () => {
    const device = { shape: [1], dtype: 'float32', size: 1, location: 'gpu', isDisposed: false, dispose() {} } satisfies Tensor;
    expect(() => add(device, tensor([1], [1]))).toThrow(UnsupportedError);
  });
});
