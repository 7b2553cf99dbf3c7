import { HostTensor, ShapeError, tensor, type Tensor } from '@sepconv/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '../src/index.js';

const backend = await createCpuBackend({ threads: 1 });
afterAll(() => backend.dispose());

/** A host tensor of shape `[1, 2, 2, 1]` whose data holds only 2 of its 4 elements (built by a copy of @sepconv/tensor that did not check). */
function shortHostTensor(): Tensor {
  return Object.assign(Object.create(HostTensor.prototype) as HostTensor, {
    data: new Float32Array([1, 2]),
    shape: [1, 2, 2, 1],
    dtype: 'float32',
    location: 'host',
    size: 2,
  });
}

describe('host tensors whose data is shorter than their shape', () => {
  const filter = tensor([1, 1, 1, 1], [2, 2, 1, 1]);
  const full = tensor([1, 2, 3, 4], [1, 2, 2, 1]);

  it.each([
    ['depthwiseConv2d', 'x', () => backend.depthwiseConv2d(shortHostTensor(), filter)],
    ['depthwiseConv2d', 'filter', () => backend.depthwiseConv2d(full, shortHostTensor())],
    ['pointwiseConv2d', 'x', () => backend.pointwiseConv2d(shortHostTensor(), tensor([1], [1, 1]))],
    ['add', 'b', () => backend.add(full, shortHostTensor())],
    ['softmax', 'x', () => backend.softmax(shortHostTensor())],
    ['upload', 'x', () => backend.upload(shortHostTensor())],
  ] as const)('%s rejects one as %s with a ShapeError before computing', (op, argument, run) => {
    const before = backend.allocatedBytes;
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe(op);
    expect((error as ShapeError).argument).toBe(argument);
    expect(backend.allocatedBytes).toBe(before);
  });
});
