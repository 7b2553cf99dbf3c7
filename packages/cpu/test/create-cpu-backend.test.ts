import { BackendError, randomUniform, tensor, UnsupportedError, ValueError } from '@sepconv/tensor';
import { referenceDepthwiseConv2d } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { CpuTensor, createCpuBackend, cpuVariants, isaSupport, type CpuBackendOptions } from '../src/index.js';
import { MAX_THREADS } from '../src/pool/control.js';

describe('createCpuBackend', () => {
  it('rejects bad options with a ValueError naming the option', async () => {
    for (const [options, argument] of [
      [{ threads: 0 }, 'options.threads'],
      [{ threads: 1.5 }, 'options.threads'],
      [{ threads: 1000 }, 'options.threads'],
      [{ threads: MAX_THREADS + 1 }, 'options.threads'],
      [{ threads: Number.POSITIVE_INFINITY }, 'options.threads'],
      [{ threads: '4' }, 'options.threads'],
      [{ threads: 2n }, 'options.threads'],
      [{ parallelThreshold: 1n }, 'options.parallelThreshold'],
      [{ variant: 'dwconv2d-nhwc-9x9-f32-quantum' }, 'options.variant'],
      [{ parallelThreshold: -1 }, 'options.parallelThreshold'],
      [{ pipeline: 'yes' }, 'options.pipeline'],
      [{ pipeline: 1 }, 'options.pipeline'],
    ] as const) {
      const error = await createCpuBackend(options as CpuBackendOptions).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValueError);
      expect((error as ValueError).argument).toBe(argument);
      expect((error as Error).message).toMatch(/^createCpuBackend: /);
    }
  });

  it('refuses, with the reason, a variant whose ISA this runtime lacks', async () => {
    const missing = cpuVariants.find((v) => isaSupport().get(v.isa) !== undefined);
    if (!missing) {
      // Every ISA runs here (relaxed SIMD is on in this test run): nothing to refuse.
      expect([...isaSupport().values()].every((reason) => reason === undefined)).toBe(true);
      return;
    }
    await expect(createCpuBackend({ variant: missing.name })).rejects.toThrow(UnsupportedError);
  });

  it('picks the fastest ISA available and lists the variants with unique names', async () => {
    const backend = await createCpuBackend({ threads: 1 });
    const best = ['wasmrelaxedsimd', 'wasmsimd', 'js'].find((isa) => isaSupport().get(isa as 'js') === undefined);
    expect(backend.isa).toBe(best);
    expect(backend.threads).toBe(1);
    expect(new Set(cpuVariants.map((v) => v.name)).size).toBe(cpuVariants.length);
    backend.dispose();
  });
});

describe('the CPU backend', () => {
  it('returns CpuTensors that the next op reads in place and read() copies out', async () => {
    const backend = await createCpuBackend({ threads: 1 });
    const x = randomUniform([1, 5, 5, 3], 1);
    const filter = randomUniform([3, 3, 3, 2], 2);
    const y = backend.depthwiseConv2d(x, filter, { padding: 'same' });
    expect(y).toBeInstanceOf(CpuTensor);
    expect(y.location).toBe('cpu');
    const data = await backend.read(y);
    const expected = referenceDepthwiseConv2d(x.data, filter.data, undefined, {
      kind: 'depthwiseConv2d',
      batch: 1,
      inHeight: 5,
      inWidth: 5,
      inChannels: 3,
      channelMultiplier: 2,
      outChannels: 6,
      kernelHeight: 3,
      kernelWidth: 3,
      strideHeight: 1,
      strideWidth: 1,
      dilationHeight: 1,
      dilationWidth: 1,
      padTop: 1,
      padBottom: 1,
      padLeft: 1,
      padRight: 1,
      outHeight: 5,
      outWidth: 5,
      hasBias: false,
      hasResidual: false,
      activation: 'linear',
    });
    for (let i = 0; i < expected.length; i++) expect(data[i]).toBeCloseTo(expected[i]!, 5);
    y.dispose();
    await expect(backend.read(y)).rejects.toThrow(ValueError);
    backend.dispose();
  });

  it('upload() makes a resident copy that ops read in place, with the same results', async () => {
    const backend = await createCpuBackend({ threads: 1 });
    const host = randomUniform([1, 6, 6, 8], 1);
    const filter = randomUniform([8, 16], 2);
    const resident = backend.upload(host);
    expect(resident).toBeInstanceOf(CpuTensor);
    expect(resident.shape).toEqual([1, 6, 6, 8]);
    expect(await backend.read(resident)).toEqual(host.data);
    const fromHost = backend.pointwiseConv2d(host, filter);
    const before = backend.allocatedBytes;
    const fromResident = backend.pointwiseConv2d(resident, filter);
    // The resident input is read in place (weights were packed by the first call): the output
    // (and allocator rounding) is allocated, no copy of the 6·6·8-float input beside it.
    expect(backend.allocatedBytes - before).toBeLessThan(6 * 6 * 16 * 4 + 6 * 6 * 8 * 4);
    expect(await backend.read(fromResident)).toEqual(await backend.read(fromHost));
    // The copy is independent of the host tensor it came from.
    host.data[0] = 1e6;
    expect((await backend.read(resident))[0]).not.toBe(1e6);
    const copy = backend.upload(resident);
    resident.dispose();
    expect((await backend.read(copy)).length).toBe(6 * 6 * 8);
    // A disposed input is bad input, as for every op (and the WebGPU backend's upload).
    expect(() => backend.upload(resident)).toThrow(ValueError);
    expect(() => backend.upload(resident)).toThrow('upload: x has been disposed');
    const foreign = { shape: [1, 2], dtype: 'float32' as const, size: 2, location: 'webgpu', isDisposed: false, dispose() {} };
    expect(() => backend.upload(foreign)).toThrow(/^upload: x lives on 'webgpu'/);
    backend.dispose();
    expect(() => backend.upload(host)).toThrow(BackendError);
  });

  it("refuses a residual it cannot read (another device's) naming the op and options.residual, fused or not, and frees the output", async () => {
    const backend = await createCpuBackend({ threads: 1 });
    const x = randomUniform([1, 6, 6, 8], 1);
    const foreign = { shape: [1, 6, 6, 8], dtype: 'float32' as const, size: 288, location: 'webgpu', isDisposed: false, dispose() {} };
    const [pointwise, depthwise] = [randomUniform([8, 8], 2), randomUniform([3, 3, 8, 1], 3)];
    // Warm: the packed weights stay cached, so the byte count below measures only the refused calls.
    backend.pointwiseConv2d(x, pointwise).dispose();
    backend.depthwiseConv2d(x, depthwise, { padding: 'same' }).dispose();
    const before = backend.allocatedBytes;
    expect(() => backend.pointwiseConv2d(x, pointwise, { residual: foreign })).toThrow(/^pointwiseConv2d: options\.residual lives on 'webgpu'/);
    expect(() => backend.depthwiseConv2d(x, depthwise, { padding: 'same', residual: foreign })).toThrow(
      /^depthwiseConv2d: options\.residual lives on 'webgpu'/,
    );
    expect(backend.allocatedBytes).toBe(before);
    backend.dispose();
  });

  it('packs a filter once and frees every output it is given back', async () => {
    const backend = await createCpuBackend({ threads: 1 });
    const x = randomUniform([1, 6, 6, 8], 1);
    const filter = randomUniform([8, 16], 2);
    backend.pointwiseConv2d(x, filter).dispose();
    const settled = backend.allocatedBytes;
    for (let i = 0; i < 20; i++) backend.pointwiseConv2d(x, filter).dispose();
    expect(backend.allocatedBytes).toBe(settled);
    // A new bias for the same filter repacks in place of the old packing, not beside it.
    backend.pointwiseConv2d(x, filter, { bias: tensor(new Float32Array(16).fill(1), [16]) }).dispose();
    expect(backend.allocatedBytes).toBe(settled);
    backend.dispose();
  });

  it('throws typed errors for bad input and for foreign tensors', async () => {
    const backend = await createCpuBackend({ threads: 1 });
    const x = randomUniform([1, 4, 4, 3], 1);
    expect(() => backend.depthwiseConv2d(x, randomUniform([3, 3, 4, 1], 2))).toThrow(/depthwiseConv2d: filter must be/);
    const foreign = { shape: [1, 4, 4, 3], dtype: 'float32' as const, size: 48, location: 'webgpu', isDisposed: false, dispose() {} };
    expect(() => backend.pointwiseConv2d(foreign, randomUniform([3, 2], 3))).toThrow(UnsupportedError);
    backend.dispose();
    expect(() => backend.pointwiseConv2d(x, randomUniform([3, 2], 3))).toThrow(BackendError);
  });

  it('reads tensors of another CPU backend by copying them in', async () => {
    const first = await createCpuBackend({ threads: 1 });
    const second = await createCpuBackend({ threads: 1, variant: 'pwconv2d-nhwc-generic-f32-js' });
    const x = randomUniform([1, 4, 4, 3], 1);
    const filter = randomUniform([3, 5], 2);
    const intermediate = first.pointwiseConv2d(x, filter);
    const y = second.pointwiseConv2d(intermediate, randomUniform([5, 2], 3));
    const z = first.pointwiseConv2d(intermediate, randomUniform([5, 2], 3));
    const [a, b] = [await second.read(y), await first.read(z)];
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
    first.dispose();
    second.dispose();
  });
});
