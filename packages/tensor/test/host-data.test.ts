import { describe, expect, it } from 'vitest';
import { assertTensor, DTypeError, HostTensor, ShapeError, tensor, ValueError, type Tensor } from '../src/index.js';
import { createReferenceBackend } from '../src/reference/index.js';

/** The error `run` throws (undefined when it does not throw). */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** A host tensor of shape `[1, 2, 2, 1]` whose data holds only 2 of its 4 elements, as an older copy of the package could build. */
function shortHostTensor(): Tensor {
  return Object.assign(Object.create(HostTensor.prototype) as HostTensor, {
    data: new Float32Array(2),
    shape: [1, 2, 2, 1],
    dtype: 'float32',
    location: 'host',
    size: 2,
  });
}

describe('host tensor data length', () => {
  it('the HostTensor constructor rejects data shorter or longer than its shape', () => {
    for (const length of [3, 5]) {
      const error = thrown(() => new HostTensor(new Float32Array(length), [2, 2]));
      expect(error).toBeInstanceOf(ShapeError);
      expect((error as ShapeError).argument).toBe('data');
      expect((error as Error).message).toBe(`HostTensor: data length ${length} does not match shape [2, 2] (4 elements)`);
    }
    expect(new HostTensor(new Float32Array(4), [2, 2]).size).toBe(4);
  });

  it('the HostTensor constructor rejects data that is not a Float32Array', () => {
    const error = thrown(() => new HostTensor([1, 2] as unknown as Float32Array, [2]));
    expect(error).toBeInstanceOf(DTypeError);
    expect((error as DTypeError).argument).toBe('data');
  });

  it('assertTensor rejects a host tensor whose shape no longer matches its data', () => {
    const shape = [1, 2, 2, 1];
    const x = new HostTensor(new Float32Array(4), shape);
    shape[1] = 3; // the constructor keeps the caller's array
    const error = thrown(() => assertTensor('depthwiseConv2d', 'x', x));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as Error).message).toBe('depthwiseConv2d: x data length 4 does not match shape [1, 3, 2, 1] (6 elements)');
  });

  it('the reference backend rejects a short host tensor before computing', () => {
    const backend = createReferenceBackend();
    const filter = tensor([1, 1, 1, 1], [2, 2, 1, 1]);
    const error = thrown(() => backend.depthwiseConv2d(shortHostTensor(), filter));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).argument).toBe('x');
    expect(thrown(() => backend.depthwiseConv2d(tensor([1, 2, 3, 4], [1, 2, 2, 1]), shortHostTensor()))).toBeInstanceOf(ShapeError);
  });
});

describe('tensor() element types', () => {
  it('throws a ValueError naming the index of the first element that is not a number', () => {
    for (const [data, index, given] of [
      [['a', {}, null, '7'], 0, "'a'"],
      [[1, 2, null], 2, 'null'],
      [[1, undefined], 1, 'undefined'],
      [[1, 2n], 1, '2n'],
      [[1, [2]], 1, '[2]'],
      [[1, , 3], 1, 'undefined'],
    ] as const) {
      const error = thrown(() => tensor(data as unknown as number[], [data.length]));
      expect(error).toBeInstanceOf(ValueError);
      expect((error as ValueError).argument).toBe('data');
      expect((error as Error).message).toBe(`tensor: data must hold numbers only, got ${given} at index ${index}`);
    }
  });

  it('keeps NaN and infinities, which are numbers', () => {
    expect(Array.from(tensor([Number.NaN, Infinity, -Infinity], [3]).data)).toEqual([Number.NaN, Infinity, -Infinity]);
  });

  it('refuses typed arrays other than Float32Array instead of narrowing them unnoticed', () => {
    for (const data of [new Float64Array([1.5, 2]), new Int32Array([-1, 7]), new BigInt64Array(2)]) {
      const error = thrown(() => tensor(data as unknown as Float32Array, [2]));
      expect(error).toBeInstanceOf(DTypeError);
      expect((error as Error).message).toBe(`tensor: data must be a Float32Array or an array of numbers, got ${data.constructor.name}`);
    }
  });
});
