// What a careless or hostile caller does to the WebGPU backend: malformed options, host data in
// a SharedArrayBuffer, a failing upload, disposing the backend while a read is in flight. Each
// gets a typed error (or works), and no GPU memory stays allocated after a failed call.
import { BackendError, randomUniform, type HostTensor, tensor, ValueError } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { afterAll, describe, expect, it } from 'vitest';
import { STAGING_USAGE } from '../src/gpu-constants.js';
import { createWebGpuBackend, type WebGpuBackendOptions } from '../src/index.js';
import { acquireTestDevice, describeGpu } from './support/test-device.js';

const gpu = await acquireTestDevice();
afterAll(() => gpu.device?.destroy());

describe('createWebGpuBackend validates its options before touching a GPU', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['options that are not an object', 'fast', 'options', /options must be an object/],
    ['a device that is not a GPUDevice', { device: {} }, 'options.device', /options.device must be a GPUDevice .*got \{\}/],
    ['an adapter that is not a GPUAdapter', { adapter: { requestDevice: 1 } }, 'options.adapter', /options.adapter must be a GPUAdapter/],
    [
      'an unknown power preference',
      { powerPreference: 'fastest' },
      'options.powerPreference',
      /options.powerPreference must be 'low-power' or 'high-performance', got 'fastest'/,
    ],
    ['a variant that is not a string', { variant: 7 }, 'options.variant', /options.variant must be one of/],
  ];
  for (const [what, options, argument, message] of cases) {
    it(`${what}: ValueError naming ${argument}`, async () => {
      const error = await createWebGpuBackend(options as WebGpuBackendOptions).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValueError);
      expect((error as ValueError).argument).toBe(argument);
      expect((error as ValueError).message).toMatch(/^createWebGpuBackend: /);
      expect((error as ValueError).message).toMatch(message);
    });
  }
});

describeGpu('WebGPU backend under hostile use', gpu, (device) => {
  const x = randomUniform([1, 5, 5, 3], 1);
  const filter = randomUniform([3, 4], 2);
  const reference = createReferenceBackend();
  const expected = (reference.pointwiseConv2d(x, filter) as HostTensor).data;

  // A browser page has SharedArrayBuffer only when cross-origin isolated; the test page is not.
  const noShared = typeof SharedArrayBuffer === 'undefined';
  it.skipIf(noShared)(
    `takes host data in a SharedArrayBuffer (copied for the upload), as the CPU backend does${noShared ? ' — skipped: no SharedArrayBuffer in this runtime (not cross-origin isolated)' : ''}`,
    async () => {
      const backend = await createWebGpuBackend({ device });
      const shared = new Float32Array(new SharedArrayBuffer(x.data.byteLength));
      shared.set(x.data);
      const y = backend.pointwiseConv2d(tensor(shared, x.shape), filter);
      const data = await backend.read(y);
      data.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
      y.dispose();
      const uploaded = backend.upload(tensor(shared, x.shape));
      expect(await backend.read(uploaded)).toEqual(x.data);
      uploaded.dispose();
      expect(backend.memory()).toMatchObject({ liveBuffers: 0, liveBytes: 0 });
      backend.dispose();
    },
  );

  it('a failed upload is a BackendError naming the argument and leaves no buffer allocated', async () => {
    const backend = await createWebGpuBackend({ device });
    const resident = backend.upload(x);
    const residentFilter = backend.upload(filter);
    const live = () => ({ liveBuffers: backend.memory().liveBuffers, liveBytes: backend.memory().liveBytes });
    const before = live();
    const queue = device.queue as GPUQueue & { writeBuffer: GPUQueue['writeBuffer'] };
    const original = queue.writeBuffer;
    queue.writeBuffer = () => {
      throw new TypeError('simulated writeBuffer failure');
    };
    try {
      // Both inputs resident: the failure comes in the dispatch itself (its uniforms), after the output exists.
      for (const call of [
        () => backend.pointwiseConv2d(resident, residentFilter),
        () => backend.pointwiseConv2d(resident, filter),
        () => backend.pointwiseConv2d(x, filter),
        () => backend.upload(x),
      ]) {
        let thrown: unknown;
        try {
          call();
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(BackendError);
        expect(live(), 'no buffer stays allocated after the failed call').toEqual(before);
      }
    } finally {
      queue.writeBuffer = original;
    }
    // The same backend still computes correctly afterwards.
    const y = backend.pointwiseConv2d(resident, filter);
    (await backend.read(y)).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    backend.dispose();
  });

  it('names the filter when its upload fails, after x was uploaded', async () => {
    const backend = await createWebGpuBackend({ device });
    const queue = device.queue as GPUQueue & { writeBuffer: GPUQueue['writeBuffer'] };
    const original = queue.writeBuffer;
    let writes = 0;
    queue.writeBuffer = function (this: GPUQueue, ...args: Parameters<GPUQueue['writeBuffer']>) {
      if (++writes === 2) throw new TypeError('simulated writeBuffer failure');
      return original.apply(this, args);
    } as GPUQueue['writeBuffer'];
    try {
      expect(() => backend.pointwiseConv2d(x, filter)).toThrow(/^pointwiseConv2d: uploading filter to the GPU failed: simulated writeBuffer failure/);
    } finally {
      queue.writeBuffer = original;
    }
    expect(backend.memory()).toMatchObject({ liveBuffers: 0, liveBytes: 0 });
    backend.dispose();
  });

  it('disposing the backend while a read is in flight rejects the read with a BackendError saying so', async () => {
    const backend = await createWebGpuBackend({ device });
    const y = backend.pointwiseConv2d(x, filter);
    // Dispose at the moment the read maps its staging buffer: the buffer is destroyed under the mapping.
    const createBuffer = device.createBuffer;
    device.createBuffer = function (this: GPUDevice, descriptor: GPUBufferDescriptor) {
      const buffer = createBuffer.call(this, descriptor);
      if (descriptor.usage === STAGING_USAGE) {
        const mapAsync = buffer.mapAsync;
        buffer.mapAsync = (...args: Parameters<GPUBuffer['mapAsync']>) => {
          const mapping = mapAsync.apply(buffer, args);
          backend.dispose();
          return mapping;
        };
      }
      return buffer;
    };
    let error: unknown;
    try {
      error = await backend.read(y).catch((e: unknown) => e);
    } finally {
      device.createBuffer = createBuffer;
    }
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).message).toBe('read: the WebGPU backend was disposed during the read');
  });
});
