import { BackendError, randomUniform } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { CpuContext } from '../src/cpu-context.js';
import { cpuBackend } from '../src/cpu-backend.js';
import { createCpuBackend } from '../src/index.js';
import { Control } from '../src/pool/control.js';
import { JobSlot, WasmKernel } from '../src/wasm/job-layout.js';
import { WasmRuntime } from '../src/wasm/wasm-runtime.js';

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
    for (const run of runs) {
      expect(await two.read(run(two))).toEqual(await one.read(run(one)));
    }
    one.dispose();
    two.dispose();
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
      expect(() => runtime.launch('pointwiseConv2d', 12, 6, 1e9)).toThrow(BackendError);
      expect(() => runtime.launch('pointwiseConv2d', 12, 6, 1e9)).toThrow(/failed on worker 1/);
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
