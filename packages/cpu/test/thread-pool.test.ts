import { BackendError, randomUniform } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { CpuContext } from '../src/cpu-context.js';
import { cpuBackend } from '../src/cpu-backend.js';
import { createCpuBackend } from '../src/index.js';
import { CHUNKS_PER_THREAD, chunkCount, Control } from '../src/pool/control.js';
import { JobSlot, WasmKernel } from '../src/wasm/job-layout.js';
import { WasmRuntime } from '../src/wasm/wasm-runtime.js';

describe('chunkCount', () => {
  it('prefers equal chunks, as many for each thread, within a factor 2 of the most', () => {
    // 28 rows on 2 threads: 14 chunks of 2, not 16 of 1 or 2.
    expect(chunkCount(28, 2)).toBe(14);
    expect(chunkCount(56, 2)).toBe(14);
    expect(chunkCount(112, 2)).toBe(16);
    expect(chunkCount(3136, 2)).toBe(16);
    // No equal split near the most: the most, or every unit when there are few.
    expect(chunkCount(97, 2)).toBe(2 * CHUNKS_PER_THREAD);
    expect(chunkCount(7, 2)).toBe(7);
    expect(chunkCount(1, 2)).toBe(1);
    for (const units of [1, 2, 5, 13, 28, 49, 100, 12544]) {
      for (const threads of [2, 3, 4]) {
        const chunks = chunkCount(units, threads);
        expect(chunks).toBeGreaterThanOrEqual(1);
        expect(chunks).toBeLessThanOrEqual(Math.min(units, threads * CHUNKS_PER_THREAD));
      }
    }
  });
});

describe('worker pool', () => {
  it('splits work over 2 threads with the same results, bit for bit, as 1 thread', async () => {
    const one = await createCpuBackend({ threads: 1 });
    const two = await createCpuBackend({ threads: 2, parallelThreshold: 0 });
    expect(two.threads).toBe(2);
    const x = randomUniform([2, 13, 11, 12], 1);
    const depthwise = randomUniform([3, 3, 12, 1], 2);
    const pointwise = randomUniform([12, 20], 3);
    const standard = randomUniform([3, 3, 12, 10], 4);
    const runs = [
      (b: typeof one) => b.depthwiseConv2d(x, depthwise, { padding: 'same', activation: 'relu6' }),
      (b: typeof one) => b.pointwiseConv2d(x, pointwise, { activation: 'relu' }),
      (b: typeof one) => b.conv2d(x, standard, { padding: 'same', strides: 2 }),
      (b: typeof one) => b.separableConv2d(x, depthwise, pointwise, { padding: 'same', depthwiseActivation: 'relu6' }),
    ];
    const atFlush = await createCpuBackend({ threads: 2, parallelThreshold: 0, pipeline: false });
    for (const run of runs) {
      const expected = await one.read(run(one));
      expect(await two.read(run(two))).toEqual(expected);
      expect(await atFlush.read(run(atFlush))).toEqual(expected);
    }
    one.dispose();
    two.dispose();
    atFlush.dispose();
  });

  it('reports a kernel that traps in a worker as a BackendError, and the pool stays usable', async () => {
    const runtime = await WasmRuntime.create('wasmsimd', 2, 0);
    const backend = cpuBackend(new CpuContext(runtime.heap, runtime, 'wasmsimd', undefined), runtime.threads, []);
    const x = randomUniform([1, 8, 8, 4], 5);
    const filter = randomUniform([4, 4], 6);
    const before = await backend.read(backend.pointwiseConv2d(x, filter));
    for (let attempt = 0; attempt < 2; attempt++) {
      runtime.heap.ints()[runtime.job >> 2] = WasmKernel.trap;
      runtime.heap.ints()[(runtime.job >> 2) + JobSlot.x] = runtime.control + Control.failed * 4;
      runtime.launch('pointwiseConv2d', 12, 6, 1e9);
      expect(() => runtime.flush()).toThrow(BackendError);
      runtime.heap.ints()[runtime.job >> 2] = WasmKernel.trap;
      runtime.heap.ints()[(runtime.job >> 2) + JobSlot.x] = runtime.control + Control.failed * 4;
      runtime.launch('pointwiseConv2d', 12, 6, 1e9);
      expect(() => runtime.flush()).toThrow(/^pointwiseConv2d: the kernel failed on worker 1/);
      expect(await backend.read(backend.pointwiseConv2d(x, filter))).toEqual(before);
    }
    backend.dispose();
  });

  it('throws a BackendError for work submitted after dispose()', async () => {
    const backend = await createCpuBackend({ threads: 2 });
    backend.dispose();
    expect(() => backend.pointwiseConv2d(randomUniform([1, 2, 2, 2], 1), randomUniform([2, 2], 2))).toThrow(BackendError);
  });
});

describe('worker pool: a worker that dies', () => {
  const x = randomUniform([2, 9, 9, 8], 1);
  const filter = randomUniform([8, 12], 2);

  /** A 2-thread backend that splits every job, its pool, and its result for (x, filter) while whole. */
  async function backends() {
    const runtime = await WasmRuntime.create('wasmsimd', 2, 0);
    const backend = cpuBackend(new CpuContext(runtime.heap, runtime, 'wasmsimd', undefined), runtime.threads, []);
    const expected = await backend.read(backend.pointwiseConv2d(x, filter));
    return { backend, expected, pool: runtime.pool! };
  }

  it('while idle: is replaced, and calls give the same results as before', async () => {
    const { backend, expected, pool } = await backends();
    expect(await pool.terminateWorker(1)).toEqual({ replaced: 1 });
    expect(await backend.read(backend.pointwiseConv2d(x, filter))).toEqual(expected);
    backend.dispose();
  });

  it('just before a call: the call returns the right result or a BackendError, never hangs', async () => {
    const { backend, expected, pool } = await backends();
    const replaced = pool.terminateWorker(1);
    for (let call = 0; call < 20; call++) {
      try {
        expect(await backend.read(backend.pointwiseConv2d(x, filter))).toEqual(expected);
      } catch (error) {
        expect(error).toBeInstanceOf(BackendError);
        expect((error as BackendError).argument).toBe('worker');
      }
    }
    await replaced;
    expect(await backend.read(backend.pointwiseConv2d(x, filter))).toEqual(expected);
    backend.dispose();
  });

  it('during a call: the call fails with a BackendError naming the op, then the replacement runs the next', async () => {
    const { backend, expected, pool } = await backends();
    // Long enough (about 1.2 G multiply-adds) that the supervisor, told to kill worker 1 once it
    // is busy, catches it inside a chunk; a kill that lands while it holds none leaves nothing
    // unfinished (the call rightly succeeds), so each call arms a new kill until one fails.
    const big = randomUniform([1, 96, 96, 64], 3);
    const bigFilter = randomUniform([3, 3, 64, 128], 4);
    // Once before arming the kill: a first call packs the filter, itself a job on the pool (run
    // within the call), where a kill would fail the conv2d call rather than its read.
    backend.conv2d(big, bigFilter, { padding: 'same' }).dispose();
    backend.flush();
    let error: unknown;
    for (let call = 0; call < 10 && error === undefined; call++) {
      const replaced = pool.terminateWorker(1, true);
      const y = backend.conv2d(big, bigFilter, { padding: 'same' });
      try {
        await backend.read(y);
      } catch (e) {
        error = e;
      } finally {
        y.dispose();
      }
      expect(await replaced).toEqual({ replaced: 1 });
    }
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).op).toBe('conv2d');
    expect((error as Error).message).toMatch(/^conv2d: worker 1 of the CPU backend's pool died during the call/);
    expect(await backend.read(backend.pointwiseConv2d(x, filter))).toEqual(expected);
    backend.dispose();
  }, 60_000);

  it('with its supervisor: the next call fails with a BackendError saying the pool stopped', async () => {
    const { backend, pool } = await backends();
    const supervisor = (pool as unknown as { supervisor: { terminate(): void } }).supervisor;
    supervisor.terminate();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(() => backend.pointwiseConv2d(x, filter)).toThrow(/worker pool has stopped/);
    expect(() => backend.pointwiseConv2d(x, filter)).toThrow(BackendError);
    backend.dispose();
  });
});
