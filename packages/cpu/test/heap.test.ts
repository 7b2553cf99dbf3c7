import { describe, expect, it } from 'vitest';
import { Heap } from '../src/heap.js';

const PAGE = 65536;

describe('Heap', () => {
  it('hands out 64-byte aligned, non-overlapping blocks above the reserved area', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 100 }), 1000);
    const a = heap.alloc(10);
    const b = heap.alloc(100);
    expect(a).toBeGreaterThanOrEqual(1000);
    expect(a % 64).toBe(0);
    expect(b % 64).toBe(0);
    // Blocks keep 64 bytes of slack for vector loads past the end.
    expect(b).toBeGreaterThanOrEqual(a + 10 + 64);
  });

  it('reuses and coalesces released blocks', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 100 }), 0);
    const a = heap.alloc(1000);
    const b = heap.alloc(1000);
    const c = heap.alloc(1000);
    heap.release(a);
    heap.release(c);
    heap.release(b);
    expect(heap.allocatedBytes).toBe(0);
    // All three merged back with the rest: one block larger than any of them fits at the start.
    expect(heap.alloc(3000)).toBe(a);
  });

  it('grows the memory when a block does not fit, and views follow the growth', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 100 });
    const heap = new Heap(memory, 0);
    const big = heap.alloc(3 * PAGE);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 3 * PAGE);
    heap.floats()[(big >> 2) + 3 * (PAGE >> 2) - 1] = 42;
    expect(new Float32Array(memory.buffer)[(big >> 2) + 3 * (PAGE >> 2) - 1]).toBe(42);
  });

  it('throws a BackendError when the memory cannot grow', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 2 }), 0);
    expect(() => heap.alloc(10 * PAGE)).toThrow(/could not|out of memory/);
  });

  it('ignores releasing an unknown or already released address', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1, maximum: 2 }), 0);
    const a = heap.alloc(8);
    heap.release(a);
    heap.release(a);
    heap.release(12345);
    expect(heap.allocatedBytes).toBe(0);
  });
});
