import { isTunable, randomUniform, UnsupportedError, ValueError, type KernelCall } from '@sepconv/tensor';
import { afterAll, expect, it } from 'vitest';
import { createWebGpuBackend, webGpuVariants } from '../src/index.js';
import { acquireTestDevice, describeGpu } from './support/test-device.js';

const gpu = await acquireTestDevice();
afterAll(() => gpu.device?.destroy());

describeGpu('the WebGPU backend as a TunableBackend', gpu, (device) => {
  const x = randomUniform([1, 9, 9, 8], 1);
  const depthwise3x3 = randomUniform([3, 3, 8, 1], 2);
  const pointwise = randomUniform([8, 12], 3);

  it('lists the rows of webGpuVariants that run a call, and names its adapter', async () => {
    const backend = await createWebGpuBackend({ device });
    expect(isTunable(backend)).toBe(true);
    const names = backend.kernelVariants({ op: 'separableConv2d', x, depthwiseFilter: depthwise3x3, pointwiseFilter: pointwise });
    expect(names).toEqual(webGpuVariants.filter((v) => v.op === 'separableConv2d').map((v) => v.name));
    const depthwise = backend.kernelVariants({ op: 'depthwiseConv2d', x, filter: depthwise3x3, options: { padding: 'same' } });
    expect(depthwise.length).toBeGreaterThan(1);
    expect(depthwise.at(-1)).toBe('dwconv2d-nhwc-generic-f32');
    expect(backend.fingerprint()).toMatch(/^webgpu; \S/);
    backend.dispose();
  });

  it('every listed variant of each op gives the default dispatch result', async () => {
    const backend = await createWebGpuBackend({ device });
    const calls: KernelCall[] = [
      { op: 'depthwiseConv2d', x, filter: depthwise3x3, options: { padding: 'same', activation: 'relu6' } },
      { op: 'depthwiseConv2d', x, filter: depthwise3x3, options: { strides: 2, padding: 'same' } },
      { op: 'pointwiseConv2d', x, filter: pointwise, options: { activation: 'relu' } },
      { op: 'conv2d', x, filter: randomUniform([3, 3, 8, 4], 4), options: { strides: 2, padding: 'same' } },
      {
        op: 'separableConv2d',
        x,
        depthwiseFilter: depthwise3x3,
        pointwiseFilter: pointwise,
        options: { padding: 'same', depthwiseActivation: 'relu6' },
      },
    ];
    for (const call of calls) {
      const run = (variant?: string) =>
        call.op === 'separableConv2d'
          ? backend.separableConv2d(call.x, call.depthwiseFilter, call.pointwiseFilter, { ...call.options, variant })
          : backend[call.op](call.x, call.filter, { ...call.options, variant });
      const expected = await backend.read(run());
      for (const name of backend.kernelVariants(call)) {
        const actual = await backend.read(run(name));
        let worst = 0;
        for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
        expect(worst, `${call.op} ${name}`).toBeLessThan(1e-4);
      }
    }
    backend.dispose();
  });

  it('offers the tiled GEMMs for a pointwise call only where its pixels fill most of a 64-row tile', async () => {
    const backend = await createWebGpuBackend({ device });
    const listed = (shape: number[], outChannels: number) =>
      backend.kernelVariants({ op: 'pointwiseConv2d', x: randomUniform(shape, 6), filter: randomUniform([shape[3]!, outChannels], 7) });
    // A one-pixel classifier (M = 1): only the register-blocked kernels.
    const vec4 = ['pwconv2d-nhwc-gemm-vec4-8x4-f32', 'pwconv2d-nhwc-gemm-vec4-4x4-f32'];
    expect(listed([1, 1, 1, 8], 12)).toEqual(vec4);
    expect(listed([1, 5, 6, 8], 12)).toEqual(vec4);
    // Half a tile (M = 32) and more: all four.
    const all = [...vec4, 'pwconv2d-nhwc-gemm-tiled-f32', 'pwconv2d-nhwc-implicit-gemm-f32'];
    expect(listed([2, 4, 4, 8], 12)).toEqual(all);
    expect(listed([1, 7, 7, 8], 12)).toEqual(all);
    // Channels the vec4 kernel cannot take: the implicit GEMM stays the catch-all.
    expect(listed([1, 1, 1, 7], 5)).toEqual(['pwconv2d-nhwc-implicit-gemm-f32']);
    backend.dispose();
  });

  it('refuses an unknown variant and one that cannot run the geometry', async () => {
    const backend = await createWebGpuBackend({ device });
    expect(() => backend.pointwiseConv2d(x, pointwise, { variant: 'pwconv2d-quantum' })).toThrow(ValueError);
    const depthwise5x5 = randomUniform([5, 5, 8, 1], 5);
    const only3x3 = webGpuVariants.find((v) => v.op === 'depthwiseConv2d' && v.name.includes('3x3'))!;
    expect(() => backend.depthwiseConv2d(x, depthwise5x5, { variant: only3x3.name })).toThrow(UnsupportedError);
    backend.dispose();
  });
});
