import { BackendError, tensor } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { CpuContext } from '../src/cpu-context.js';
import { CpuTensor } from '../src/cpu-tensor.js';
import { floatIndex, Heap } from '../src/heap.js';

const PAGE = 65536;

describe('Heap', () => {
  it('hands out 64-byte aligned, non-overlapping blocks above the reserved area', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 100 }), 1000);
    const a = heap.alloc(10, 'test');
    const b = heap.alloc(100, 'test');
    expect(a).toBeGreaterThanOrEqual(1000);
    expect(a % 64).toBe(0);
    expect(b % 64).toBe(0);
    // Blocks keep 64 bytes of slack for vector loads past the end.
    expect(b).toBeGreaterThanOrEqual(a + 10 + 64);
  });

  it('reuses and coalesces released blocks', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 100 }), 0);
    const a = heap.alloc(1000, 'test');
    const b = heap.alloc(1000, 'test');
    const c = heap.alloc(1000, 'test');
    heap.release(a);
    heap.release(c);
    heap.release(b);
    expect(heap.allocatedBytes).toBe(0);
    // All three merged back with the rest: one block larger than any of them fits at the start.
    expect(heap.alloc(3000, 'test')).toBe(a);
  });

  it('grows the memory when a block does not fit, and views follow the growth', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 100 });
    const heap = new Heap(memory, 0);
    const big = heap.alloc(3 * PAGE, 'test');
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 3 * PAGE);
    heap.floats()[(big >> 2) + 3 * (PAGE >> 2) - 1] = 42;
    expect(new Float32Array(memory.buffer)[(big >> 2) + 3 * (PAGE >> 2) - 1]).toBe(42);
  });

  it('throws a BackendError when the memory cannot grow', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 2 }), 0);
    expect(() => heap.alloc(10 * PAGE, 'test')).toThrow(/could not|out of memory/);
  });

  it('ignores releasing an unknown or already released address', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 2 }), 0);
    const a = heap.alloc(8, 'test');
    heap.release(a);
    heap.release(a);
    heap.release(12345);
    expect(heap.allocatedBytes).toBe(0);
  });
});

describe('Heap growth', () => {
  it('grows by only what is needed when the generous growth does not fit under the maximum', () => {
    // 8 pages full, 1 page of room left: growing by half (4 pages) fails, 1 page fits.
    const memory = new WebAssembly.Memory({ initial: 8, maximum: 9 });
    const heap = new Heap(memory, 0);
    heap.alloc(8 * PAGE - 64, 'test');
    const small = heap.alloc(1000, 'test');
    expect(small).toBeGreaterThanOrEqual(8 * PAGE - 64);
    expect(memory.buffer.byteLength).toBe(9 * PAGE);
  });

  it('counts the free tail of the memory towards the growth it needs', () => {
    // 1.5 pages free at the end and 1 page of room: a 2-page block fits only if the free tail counts.
    const memory = new WebAssembly.Memory({ initial: 4, maximum: 5 });
    const heap = new Heap(memory, 0);
    heap.alloc(2.5 * PAGE - 64, 'test');
    expect(heap.alloc(2 * PAGE, 'test')).toBe(2.5 * PAGE);
    expect(memory.buffer.byteLength).toBe(5 * PAGE);
  });

  it('names the op that allocated when the memory is exhausted', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 2 }), 0);
    const error = (() => {
      try {
        heap.alloc(10 * PAGE, 'depthwiseConv2d');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).op).toBe('depthwiseConv2d');
    expect((error as Error).message).toMatch(/^depthwiseConv2d: out of memory/);
  });
});

describe('heap addresses above 2 GiB', () => {
  const high = 3 * 2 ** 30; // 3 GiB: negative as a signed 32-bit integer

  it('floatIndex turns byte addresses up to 4 GiB into non-negative element indices', () => {
    expect(floatIndex(high)).toBe(3 * 2 ** 28);
    expect(floatIndex(2 ** 31)).toBe(2 ** 29);
    expect(floatIndex(2 ** 32 - 4)).toBe(2 ** 30 - 1);
  });

  /** A heap stand-in whose memory is pretended to be 4 GiB: records the element ranges its callers touch. */
  function farHeap() {
    const touched: number[][] = [];
    const floats = {
      subarray: (start: number, end: number) => (touched.push([start, end]), new Float32Array(end - start)),
      set: (data: ArrayLike<number>, offset: number) => void touched.push([offset, offset + data.length]),
    };
    const heap = {
      alloc: () => high,
      allocHost: () => high,
      release: () => {},
      settle: () => {},
      failure: () => undefined,
      floats: () => floats,
    } as unknown as Heap;
    return { heap, touched };
  }

  it('CpuTensor views data at its address', () => {
    const { heap, touched } = farHeap();
    expect(new CpuTensor(heap, high, [2, 3]).view()).toHaveLength(6);
    expect(touched).toEqual([[3 * 2 ** 28, 3 * 2 ** 28 + 6]]);
  });

  it('inputs and packed weights are written at their address', () => {
    const { heap, touched } = farHeap();
    const ctx = new CpuContext(heap, undefined, 'js', undefined);
    ctx.input('conv2d', 'x', tensor([1, 2, 3], [3])).release();
    ctx.packed('conv2d', 'gemm', tensor([1], [1]), undefined, 4, (_out, offset) => touched.push([offset]));
    expect(touched).toEqual([[3 * 2 ** 28, 3 * 2 ** 28 + 3], [3 * 2 ** 28]]);
  });
});
