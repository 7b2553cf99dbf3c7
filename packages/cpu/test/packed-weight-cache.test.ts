import { randomUniform } from '@sepconv/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '../src/index.js';
import { packedDepthwiseLength } from '../src/pack/pack-depthwise.js';

const backend = await createCpuBackend({ threads: 1 });
afterAll(() => backend.dispose());

const x = randomUniform([1, 6, 6, 8], 1);
/** Heap bytes one packing of a 3×3×8×1 depthwise filter takes: its floats, 64 bytes of slack, 64-byte aligned. */
const packBytes = Math.ceil((packedDepthwiseLength(9, 8) * 4 + 64) / 64) * 64;

/** Runs a depthwise conv with `filter` and disposes the result, so only the packing stays. */
function run(filter: ReturnType<typeof randomUniform> | ReturnType<typeof backend.upload>): void {
  backend.depthwiseConv2d(x, filter, { padding: 'same' }).dispose();
}

describe('packed weights', () => {
  it('are packed once per filter and freed when an uploaded filter is disposed', () => {
    run(randomUniform([3, 3, 8, 1], 0)); // scratch and zero buffers, which stay
    const before = backend.allocatedBytes;
    const filter = backend.upload(randomUniform([3, 3, 8, 1], 2));
    const uploaded = backend.allocatedBytes;
    run(filter);
    run(filter);
    expect(backend.allocatedBytes).toBe(uploaded + packBytes);
    filter.dispose();
    expect(backend.allocatedBytes).toBe(before);
  });

  it('of disposed host filters are freed by later packings: a loop of new filters stays bounded', () => {
    run(randomUniform([3, 3, 8, 1], 0));
    const before = backend.allocatedBytes;
    let most = 0;
    for (let i = 0; i < 200; i++) {
      const filter = randomUniform([3, 3, 8, 1], i);
      run(filter);
      filter.dispose();
      most = Math.max(most, backend.allocatedBytes - before);
    }
    // At most one sweep's worth (16 filters) of packings is held, never one per filter.
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(16 * packBytes);
  });

  it('are freed when the backend is disposed', async () => {
    const own = await createCpuBackend({ threads: 1 });
    const filter = randomUniform([3, 3, 8, 1], 3);
    own.depthwiseConv2d(x, filter).dispose();
    const before = own.allocatedBytes;
    own.dispose();
    expect(own.allocatedBytes).toBe(before - packBytes);
  });
});
