import { BackendError, randomUniform, tensor, UnsupportedError, ValueError, zeros, type Backend, type Tensor } from '@sepconv/tensor';
import { createReferenceBackend, referenceConv2d } from '@sepconv/tensor/reference';
import { afterAll, expect, it } from 'vitest';
import { createWebGpuBackend, requestWebGpuDevice, webGpuVariants } from '../src/index.js';
import { cachedPipelineCount } from '../src/pipeline-cache.js';
import { defaultGpu } from '../src/request-webgpu-device.js';
import { WebGpuContext } from '../src/webgpu-context.js';
import { acquireTestDevice, describeGpu } from './support/test-device.js';

const gpu = await acquireTestDevice();
afterAll(() => gpu.device?.destroy());

it('a runtime without an adapter gets a typed error naming the adapter, not a hang', async () => {
  const noAdapter = { requestAdapter: async () => null };
  const error = await requestWebGpuDevice({ gpu: noAdapter }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BackendError);
  expect((error as BackendError).argument).toBe('adapter');
  expect((error as BackendError).message).toMatch(/^requestWebGpuDevice: requestAdapter\(\) found no WebGPU adapter/);
});

it('an unknown forced variant is a ValueError listing the variants', async () => {
  const error = await createWebGpuBackend({ variant: 'dwconv2d-nhwc-9x9-f64' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValueError);
  expect((error as ValueError).message).toContain(webGpuVariants[0]!.name);
});

describeGpu('WebGPU runtime on a real adapter', gpu, (device) => {
  it('tensors stay on the GPU between ops; results agree with the reference', async () => {
    const backend = await createWebGpuBackend({ device });
    const x = randomUniform([1, 9, 9, 8], 1);
    const dwFilter = randomUniform([3, 3, 8, 1], 2);
    const pwFilter = randomUniform([8, 12], 3);
    const depthwise = backend.depthwiseConv2d(x, dwFilter, { padding: 'same' });
    expect(depthwise.location).toBe('webgpu');
    const y = backend.pointwiseConv2d(depthwise, pwFilter, { activation: 'relu' });
    depthwise.dispose();
    const separable = backend.separableConv2d(x, dwFilter, pwFilter, { padding: 'same', activation: 'relu' });
    const [chained, fused] = [await backend.read(y), await backend.read(separable)];
    expect(chained.length).toBe(9 * 9 * 12);
    for (let i = 0; i < chained.length; i++) expect(fused[i]).toBeCloseTo(chained[i]!, 4);
    backend.dispose();
  });

  it('a repeated chain of layers batches its submits and reuses its bind groups and uniforms, with correct results', async () => {
    const backend = await createWebGpuBackend({ device });
    const reference = createReferenceBackend();
    const layers = 20;
    const filters = Array.from({ length: layers }, (_, i) => randomUniform([8, 8], 100 + i, -0.5, 0.5));
    const resident = filters.map((f) => backend.upload(f));
    const x = randomUniform([1, 5, 5, 8], 3);
    let expected: Tensor = x;
    for (const f of filters) expected = reference.pointwiseConv2d(expected, f, { activation: 'relu6' });
    const input = backend.upload(x);
    const chain = async () => {
      let y: Tensor = input;
      for (const f of resident) {
        const next = backend.pointwiseConv2d(y, f, { activation: 'relu6' });
        if (y !== input) y.dispose();
        y = next;
      }
      const data = await backend.read(y);
      y.dispose();
      return data;
    };
    // Two warm-up runs: the pool hands buffers back last-in first-out, so their order repeats every second run.
    await chain();
    await chain();
    const counts = { createBindGroup: 0, writeBuffer: 0, submit: 0 };
    const count = <T extends object>(target: T, name: keyof typeof counts & keyof T) => {
      const original = target[name] as (...args: unknown[]) => unknown;
      (target as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
        counts[name]++;
        return original.apply(this, args);
      };
      return () => ((target as Record<string, unknown>)[name] = original);
    };
    const restore = [count(device, 'createBindGroup'), count(device.queue, 'writeBuffer'), count(device.queue, 'submit')];
    let data: Float32Array;
    try {
      data = await chain();
    } finally {
      for (const undo of restore) undo();
    }
    expect(counts.createBindGroup, 'bind groups created by a repeated chain').toBe(0);
    expect(counts.writeBuffer, 'uniform writes by a repeated chain').toBe(0);
    // 20 dispatches in batches of 16, then the read's copy: not one submit per layer.
    expect(counts.submit).toBe(3);
    const want = await reference.read(expected);
    data.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
    backend.dispose();
  });

  it("flush() submits recorded ops, so the caller's own commands on the device see their results", async () => {
    const backend = await createWebGpuBackend({ device });
    const reference = createReferenceBackend();
    const x = randomUniform([1, 4, 4, 8], 6);
    const filter = randomUniform([8, 4], 7);
    const y = backend.pointwiseConv2d(x, filter);
    backend.flush();
    const bytes = y.size * 4;
    const staging = device.createBuffer({ size: bytes, usage: 0x0001 | 0x0008 });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(y.buffer, 0, staging, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(0x0001);
    const data = new Float32Array(staging.getMappedRange().slice(0));
    staging.destroy();
    const want = await reference.read(reference.pointwiseConv2d(x, filter));
    data.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    backend.dispose();
  });

  it('an upload into a pooled buffer waits for recorded commands that read its previous contents', async () => {
    const backend = await createWebGpuBackend({ device });
    const reference = createReferenceBackend();
    const filter = backend.upload(randomUniform([8, 4], 2));
    const first = randomUniform([1, 6, 6, 8], 4);
    const second = randomUniform([1, 6, 6, 8], 5);
    // The host input is uploaded for the call and released at once; the next upload of the same size reuses its buffer.
    const y = backend.pointwiseConv2d(first, filter);
    const reused = backend.upload(second);
    const want = await reference.read(reference.pointwiseConv2d(first, randomUniform([8, 4], 2)));
    (await backend.read(y)).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    expect(await backend.read(reused)).toEqual(second.data);
    backend.dispose();
  });

  it("add keeps its result on the GPU, frees its uploads, and refuses another backend instance's tensor", async () => {
    const backend = await createWebGpuBackend({ device });
    const other = await createWebGpuBackend({ device });
    const x = backend.upload(randomUniform([1, 6, 6, 24], 8, -4, 4));
    const residual = randomUniform([1, 6, 6, 24], 9, -4, 4);
    const liveBefore = backend.memory().liveBuffers;
    for (let i = 0; i < 5; i++) backend.add(x, residual, { activation: 'relu6' }).dispose();
    expect(backend.memory().liveBuffers, 'host inputs uploaded for the call are released').toBe(liveBefore);
    const y = backend.add(x, residual, { activation: 'relu6' });
    expect(y.location).toBe('webgpu');
    const data = await backend.read(y);
    const host = await backend.read(x);
    for (let i = 0; i < data.length; i++) expect(data[i]).toBe(Math.min(6, Math.max(0, Math.fround(host[i]! + residual.data[i]!))));
    const foreign = other.upload(residual);
    expect(() => backend.add(x, foreign)).toThrow(UnsupportedError);
    expect(() => backend.add(x, foreign)).toThrow(/^add: b belongs to another WebGPU backend instance/);
    expect(backend.memory().liveBuffers, 'a refused call leaves nothing allocated beyond y').toBe(liveBefore + 1);
    other.dispose();
    backend.dispose();
  });

  it('squeeze-and-excitation runs on the GPU (global pool, hard-sigmoid, broadcast mul) and matches the reference', async () => {
    const backend = await createWebGpuBackend({ device });
    const reference = createReferenceBackend();
    const host = randomUniform([2, 7, 5, 24], 11, -4, 4);
    const x = backend.upload(host);
    const excite = async (b: Backend, input: Tensor): Promise<Float32Array> => {
      const pooled = b.globalPool2d!(input, { type: 'avg' });
      const scale = b.activation!(pooled, 'hardSigmoid');
      const y = b.mul!(input, scale);
      for (const t of [pooled, scale]) expect(t.location, 'intermediates stay where the backend keeps them').toBe(b === backend ? 'webgpu' : 'host');
      const data = await b.read(y);
      for (const t of [pooled, scale, y]) t.dispose();
      return data;
    };
    const [actual, expected] = [await excite(backend, x), await excite(reference, host)];
    for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, 5);
    backend.dispose();
  });

  it('graph ops free the uploads of host inputs; concat takes host and device tensors and refuses a foreign one naming xs[i]', async () => {
    const backend = await createWebGpuBackend({ device });
    const other = await createWebGpuBackend({ device });
    const a = backend.upload(randomUniform([1, 4, 4, 8], 12));
    const b = randomUniform([1, 4, 4, 3], 13);
    const liveBefore = backend.memory().liveBuffers;
    for (let i = 0; i < 3; i++) {
      backend.concat([a, b, a]).dispose();
      backend.sub(b, randomUniform([3], 14)).dispose();
      backend.pad(b, { top: 1, bottom: 0, left: 2, right: 1 }).dispose();
      backend.pool2d(b, { type: 'max', kernelSize: 2 }).dispose();
      backend.resizeBilinear(b, [7, 3]).dispose();
    }
    expect(backend.memory().liveBuffers, 'host inputs uploaded for the calls are released').toBe(liveBefore);
    const joined = backend.concat([a, b, a]);
    expect([...joined.shape]).toEqual([1, 4, 4, 19]);
    const [data, aHost] = [await backend.read(joined), await backend.read(a)];
    expect([...data.subarray(0, 19)]).toEqual([...aHost.subarray(0, 8), ...b.data.subarray(0, 3), ...aHost.subarray(0, 8)]);
    const foreign = other.upload(b);
    expect(() => backend.concat([a, b, foreign])).toThrow(UnsupportedError);
    expect(() => backend.concat([a, b, foreign])).toThrow(/^concat: xs\[2\] belongs to another WebGPU backend instance/);
    expect(backend.memory().liveBuffers, 'a refused call leaves nothing allocated beyond the result').toBe(liveBefore + 1);
    other.dispose();
    backend.dispose();
  });

  it('a long loop of operations does not grow GPU memory or the pipeline cache', async () => {
    const backend = await createWebGpuBackend({ device });
    const x = backend.upload(randomUniform([1, 12, 12, 16], 4));
    const dwFilter = backend.upload(randomUniform([3, 3, 16, 1], 5));
    const pwFilter = backend.upload(randomUniform([16, 32], 6));
    const step = () => {
      const y = backend.separableConv2d(x, dwFilter, pwFilter, { padding: 'same', depthwiseActivation: 'relu6' });
      const z = backend.pointwiseConv2d(y, randomUniform([32, 16], 7), { activation: 'relu6' });
      y.dispose();
      return z;
    };
    const loop = async (iterations: number) => {
      for (let i = 0; i < iterations; i++) {
        const z = step();
        if (i === iterations - 1) await backend.read(z);
        z.dispose();
      }
    };
    await loop(2);
    const baseline = { memory: backend.memory(), pipelines: cachedPipelineCount(device) };
    await loop(40);
    const after = backend.memory();
    expect(after).toEqual(baseline.memory);
    expect(after.liveBuffers, 'only the three uploaded inputs stay live').toBe(3);
    expect(cachedPipelineCount(device)).toBe(baseline.pipelines);
    backend.dispose();
    expect(backend.memory()).toEqual({ liveBuffers: 0, liveBytes: 0, pooledBuffers: 0, pooledBytes: 0 });
  });

  it('a buffer past the device limit is an UnsupportedError before anything is allocated', async () => {
    // A device with WebGPU's default limits: 128 MiB per storage binding.
    const adapter = (await (await defaultGpu()).requestAdapter())!;
    const small = await adapter.requestDevice();
    const backend = await createWebGpuBackend({ device: small });
    const x = zeros([1, 1024, 1024, 1]);
    const call = () => backend.depthwiseConv2d(x, zeros([1, 1, 1, 64])); // output 256 MiB
    expect(call).toThrow(UnsupportedError);
    expect(call).toThrow(/^depthwiseConv2d: x \[1, 1024, 1024, 64\] needs 268435456 bytes, more than this device's storage buffer limit/);
    expect(backend.memory().liveBuffers).toBe(0);
    backend.dispose();
    small.destroy();
  });

  it('a WGSL compile error surfaces as a BackendError naming the program', async () => {
    const ctx = new WebGpuContext(device, undefined, false);
    const output = ctx.allocate('test', 'x', [4]);
    ctx.run(
      'depthwiseConv2d',
      {
        name: 'broken-program',
        cacheKey: 'broken-program',
        workgroupSize: [1, 1, 1],
        inputs: [],
        wgsl: () =>
          'struct Params { n: i32, }\n@group(0) @binding(0) var<storage, read_write> y: array<f32>;\n@group(0) @binding(1) var<uniform> params: Params;\n@compute @workgroup_size(1) fn main() { y[0] = undefinedName; }',
        dispatch: () => [1, 1, 1],
        uniforms: () => [{ name: 'n', value: 1 }],
      },
      [],
      output,
    );
    const error = await ctx.read(output).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).message).toMatch(/^depthwiseConv2d: WGSL program broken-program failed to compile: .*undefinedName/);
    ctx.dispose();
  });

  it('device loss turns into BackendErrors for reads in flight and later calls, not hangs', async () => {
    const own = await requestWebGpuDevice();
    // The generic variant compiles in milliseconds on SwiftShader; this device starts with no pipelines.
    const backend = await createWebGpuBackend({ device: own, variant: 'dwconv2d-nhwc-generic-f32' });
    const y = backend.depthwiseConv2d(randomUniform([1, 8, 8, 4], 1), randomUniform([3, 3, 4, 1], 2));
    own.destroy();
    await expect(backend.read(y)).rejects.toBeInstanceOf(BackendError);
    await own.lost;
    expect(() => backend.depthwiseConv2d(zeros([1, 4, 4, 4]), zeros([3, 3, 4, 1]))).toThrow(/depthwiseConv2d: the GPU device was lost \(destroyed/);
    backend.dispose();
  });

  it('refuses tensors of another backend instance and works after being given one', async () => {
    const a = await createWebGpuBackend({ device });
    const b = await createWebGpuBackend({ device });
    const foreign = a.upload(randomUniform([1, 4, 4, 4], 1));
    const filter = randomUniform([3, 3, 4, 1], 2);
    expect(() => b.depthwiseConv2d(foreign, filter)).toThrow(UnsupportedError);
    await expect(b.read(foreign)).rejects.toBeInstanceOf(UnsupportedError);
    const expected = await a.read(a.depthwiseConv2d(foreign, filter));
    expect(await b.read(b.depthwiseConv2d(tensor(await a.read(foreign), [1, 4, 4, 4]), filter))).toEqual(expected);
    a.dispose();
    b.dispose();
  });

  it('a disposed backend refuses work with a BackendError', async () => {
    const backend = await createWebGpuBackend({ device });
    backend.dispose();
    expect(() => backend.pointwiseConv2d(zeros([1, 2, 2, 3]), zeros([3, 4]))).toThrow(/^pointwiseConv2d: this WebGPU backend has been disposed/);
  });

  it('standard conv2d through the implicit GEMM matches the reference on a MobileNet stem shape', async () => {
    const backend = await createWebGpuBackend({ device });
    const x = randomUniform([1, 17, 17, 3], 8);
    const filter = randomUniform([3, 3, 3, 32], 9);
    const bias = randomUniform([32], 10);
    const y = backend.conv2d(x, filter, { strides: 2, padding: 'same', bias, activation: 'relu6' });
    const actual = await backend.read(y);
    const geometry = (await import('@sepconv/tensor')).conv2dGeometry(x, filter, { strides: 2, padding: 'same', bias, activation: 'relu6' });
    const expected = referenceConv2d(x.data, filter.data, bias.data, geometry);
    for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, 4);
    backend.dispose();
  });
});
