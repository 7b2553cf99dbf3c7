import { describe, expect, it, vi } from 'vitest';
import { BackendError, DTypeError, HostTensor, isHostTensor, SepconvError, ShapeError, tensor, ValueError } from '../src/index.js';

// A second installed copy of @sepconv/tensor: the same source evaluated again in a fresh module
// registry, so its classes are different objects, as with two copies in node_modules.
vi.resetModules();
const secondCopy = await import('../src/index.js');

describe('recognition across two installed copies', () => {
  it('loads a genuinely separate copy (otherwise the tests below prove nothing)', () => {
    expect(secondCopy.ShapeError).not.toBe(ShapeError);
    expect(secondCopy.HostTensor).not.toBe(HostTensor);
  });

  it("recognises the other copy's host tensors with isHostTensor and instanceof", () => {
    const foreign = secondCopy.tensor([1, 2, 3], [3]);
    expect(isHostTensor(foreign)).toBe(true);
    expect(foreign instanceof HostTensor).toBe(true);
    expect(secondCopy.isHostTensor(tensor([1], [1]))).toBe(true);
  });

  it("recognises the other copy's errors with instanceof, class by class", () => {
    const foreign = new secondCopy.ShapeError('conv2d', 'filter', 'filter must be rank 4');
    expect(foreign instanceof ShapeError).toBe(true);
    expect(foreign instanceof SepconvError).toBe(true);
    expect(foreign instanceof Error).toBe(true);
    expect(foreign instanceof ValueError).toBe(false);
    expect(foreign instanceof DTypeError).toBe(false);
    expect(new secondCopy.BackendError('read', 'x', 'lost') instanceof BackendError).toBe(true);
    expect(new secondCopy.UnsupportedError('read', 'x', 'no') instanceof ShapeError).toBe(false);
    expect(new ValueError('add', 'b', 'bad') instanceof secondCopy.ValueError).toBe(true);
  });

  it('does not recognise look-alikes without the brand', () => {
    const lookAlike = {
      data: new Float32Array(1),
      shape: [1],
      dtype: 'float32' as const,
      size: 1,
      location: 'host',
      isDisposed: false,
      dispose() {},
    };
    expect(isHostTensor(lookAlike)).toBe(false);
    expect(lookAlike instanceof HostTensor).toBe(false);
    const plain = Object.assign(new Error('conv2d: bad'), { name: 'ShapeError', op: 'conv2d', argument: 'x' });
    expect(plain instanceof ShapeError).toBe(false);
    expect(plain instanceof SepconvError).toBe(false);
    expect((null as unknown) instanceof HostTensor).toBe(false);
  });

  it('brands with Symbol.for keys, not enumerable, so plain objects built like another copy are recognised', () => {
    const branded = Object.create({ [Symbol.for('sepconv.HostTensor')]: true }) as object;
    expect(branded instanceof HostTensor).toBe(true);
    const error = new ShapeError('add', 'b', 'shapes differ');
    expect(Object.getOwnPropertySymbols(error)).toEqual([]);
    expect(Object.keys(tensor([1], [1]))).not.toContain(Symbol.for('sepconv.HostTensor'));
  });

  it('keeps ordinary instanceof for subclasses that do not brand themselves', () => {
    class DeviceFullError extends BackendError {}
    expect(new DeviceFullError('run', 'device', 'full') instanceof BackendError).toBe(true);
    expect(new DeviceFullError('run', 'device', 'full') instanceof DeviceFullError).toBe(true);
    expect(new BackendError('run', 'device', 'full') instanceof DeviceFullError).toBe(false);
  });
});
