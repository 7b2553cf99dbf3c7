import { isTunable, randomUniform, UnsupportedError, ValueError, type KernelCall } from '@sepconv/tensor';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createCpuBackend, cpuVariants } from '../src/index.js';

const backend = await createCpuBackend({ threads: 1 });
afterAll(() => backend.dispose());

const x = randomUniform([1, 9, 9, 8], 1);
const depthwise3x3 = randomUniform([3, 3, 8, 1], 2);
const pointwise = randomUniform([8, 12], 3);

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThan(1e-4);
}

describe('the CPU backend as a TunableBackend', () => {
  it('lists its own ISA rows that run a call, in cpuVariants order, and names its device', () => {
    expect(isTunable(backend)).toBe(true);
    const names = backend.kernelVariants({ op: 'depthwiseConv2d', x, filter: depthwise3x3, options: { padding: 'same' } });
    const ofIsa = cpuVariants.filter((v) => v.isa === backend.isa && v.op === 'depthwiseConv2d').map((v) => v.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names).toEqual(ofIsa.filter((name) => names.includes(name)));
    // The 3×3 stride-1 specialisation runs this call and comes before the generic row.
    if (backend.isa !== 'js') expect(names).toEqual([`dwconv2d-nhwc-3x3s1-f32-${backend.isa}`, `dwconv2d-nhwc-generic-f32-${backend.isa}`]);
    expect(backend.fingerprint()).toMatch(new RegExp(`^cpu ${backend.isa} 1 thread; `));
  });

  it('runs every listed variant of each op to the same result as default dispatch', async () => {
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
      const names = backend.kernelVariants(call);
      expect(names.length, call.op).toBeGreaterThan(0);
      for (const name of names) expectClose(await backend.read(run(name)), expected);
    }
  });

  it('runs the named row, not the one dispatch would pick', () => {
    const [first, generic] = backend.kernelVariants({ op: 'depthwiseConv2d', x, filter: depthwise3x3 });
    if (generic === undefined) return; // one row only (JavaScript): nothing to choose
    const row = cpuVariants.find((v) => v.name === generic)!;
    const spy = vi.spyOn(row, 'run');
    try {
      backend.depthwiseConv2d(x, depthwise3x3).dispose();
      expect(spy, `${first} runs by default`).not.toHaveBeenCalled();
      backend.depthwiseConv2d(x, depthwise3x3, { variant: generic }).dispose();
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a variant that is unknown, of another op or unable to run the geometry', () => {
    const isa = backend.isa;
    expect(() => backend.pointwiseConv2d(x, pointwise, { variant: 'pwconv2d-nhwc-quantum' })).toThrow(ValueError);
    if (isa === 'js') return;
    expect(() => backend.pointwiseConv2d(x, pointwise, { variant: `dwconv2d-nhwc-generic-f32-${isa}` })).toThrow(UnsupportedError);
    expect(() => backend.pointwiseConv2d(x, pointwise, { strides: 2, variant: `pwconv2d-nhwc-gemm4x8-f32-${isa}` })).toThrow(UnsupportedError);
    // A row of another ISA is not one this backend dispatches among.
    const other = cpuVariants.find((v) => v.isa !== isa && v.op === 'pointwiseConv2d')!;
    expect(() => backend.pointwiseConv2d(x, pointwise, { variant: other.name })).toThrow(ValueError);
  });
});
