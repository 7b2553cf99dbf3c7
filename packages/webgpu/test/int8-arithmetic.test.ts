import { HostQuantizedTensor, multiplyByQuantizedMultiplier, quantizeValues, Random, tensor, type QuantParams } from '@sepconv/tensor';
import { afterAll, expect, it } from 'vitest';
import { createWebGpuBackend, type WebGpuBackend } from '../src/index.js';
import type { GpuProgram } from '../src/gpu-program.js';
import { uploadWords } from '../src/int8-buffers.js';
import { WebGpuContext } from '../src/webgpu-context.js';
import { wgslHeader } from '../src/wgsl-header.js';
import { WGSL_FIXED_POINT } from '../src/wgsl-int8.js';
import { acquireTestDevice, describeGpu } from './support/test-device.js';

// The int8 programs' integer emulations (WGSL has neither i64 nor a correctly rounded float
// division) against their TypeScript definitions, on many more operands than the conformance
// cases reach: the 64-bit high multiply and both roundings of MultiplyByQuantizedMultiplier, and
// quantize's float32 quotient at and around every rounding boundary.

const gpu = await acquireTestDevice();
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** `mbqm(x[i], multiplier[i], shift[i])` for each triple, on the GPU. */
function mbqmProgram(count: number): GpuProgram {
  const inputs = ['operands'];
  return {
    name: 'test-mbqm',
    cacheKey: 'test-mbqm',
    workgroupSize: [64, 1, 1],
    inputs,
    dispatch: () => [Math.ceil(count / 64), 1, 1],
    uniforms: () => [{ name: 'total', value: count }],
    wgsl: () => `${wgslHeader({ inputs }, ['total'], { operands: 'i32', y: 'i32' })}
${WGSL_FIXED_POINT}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = i32(id.x);
  if (i >= params.total) { return; }
  y[i] = mbqm(operands[3 * i], operands[3 * i + 1], operands[3 * i + 2]);
}`,
  };
}

/** Operands where the arithmetic is hardest: extremes, ties of both roundings, every shift. */
function mbqmOperands(random: Random): [number, number, number][] {
  const triples: [number, number, number][] = [];
  const xs = [0, 1, -1, 2, -2, 127, -128, 255, -255, INT32_MAX, INT32_MIN, INT32_MIN + 1, 2 ** 30, -(2 ** 30), 46341, -46341];
  const multipliers = [0, 2 ** 30, 2 ** 30 + 1, INT32_MAX, INT32_MAX - 1, 1518500250, 1073741825, INT32_MIN];
  for (const x of xs) for (const m of multipliers) for (const shift of [-31, -30, -17, -1, 0, 1, 15, 30]) triples.push([x, m, shift]);
  for (let k = 0; k < 20000; k++) {
    const wide = random.next() < 0.5;
    const x = wide ? random.int(INT32_MIN, INT32_MAX) : random.int(-70000, 70000);
    const m = random.next() < 0.1 ? 0 : random.int(2 ** 30, INT32_MAX);
    triples.push([x, m, random.int(-31, 30)]);
  }
  // An exact tie of the high multiply: x · m = (2k + 1) · 2^30.
  for (let k = -40; k < 40; k++) triples.push([(2 * k + 1) * 2, 2 ** 30, random.int(-31, 0)]);
  return triples;
}

/** Float32 inputs around every quotient a quantize can round differently: halfway points, their float32 neighbours, subnormals. */
function quantizeInputs(random: Random, scale: number): Float32Array {
  const values: number[] = [0, -0, 1e-45, -1e-45, 1.1754942e-38, 3.4028235e38, -3.4028235e38];
  const step = (v: number, ulps: number): number => {
    const bits = new Int32Array(new Float32Array([v]).buffer);
    bits[0] = bits[0]! + (v < 0 ? -ulps : ulps);
    return new Float32Array(bits.buffer)[0]!;
  };
  for (let k = -300; k <= 300; k++) {
    const half = Math.fround((k + 0.5) * scale);
    for (const ulps of [-2, -1, 0, 1, 2]) values.push(step(half, ulps));
  }
  for (let k = 0; k < 2000; k++) values.push(Math.fround(random.uniform(-300, 300) * scale));
  return Float32Array.from(values);
}

describeGpu('int8 arithmetic on the GPU equals its definitions', gpu, (device) => {
  let backend: WebGpuBackend | undefined;
  const getBackend = async (): Promise<WebGpuBackend> => (backend ??= await createWebGpuBackend({ device }));
  afterAll(() => backend?.dispose());

  it('MultiplyByQuantizedMultiplier (i32 emulation of the 64-bit high multiply) on 20k operands and the extremes', async () => {
    const triples = mbqmOperands(new Random(41000));
    const ctx = new WebGpuContext(device, undefined, false);
    const operands = uploadWords(ctx, 'test', 'operands', Int32Array.from(triples.flat()));
    const output = ctx.allocate('test', 'y', [triples.length]);
    ctx.run('test', mbqmProgram(triples.length), [{ buffer: operands, temporary: true }], output);
    const got = new Int32Array(await ctx.readBytes(output.buffer, triples.length * 4));
    const expected = Int32Array.from(triples, ([x, m, shift]) => multiplyByQuantizedMultiplier(x, m, shift));
    const mismatches = triples.filter((_, i) => got[i] !== expected[i]).slice(0, 5);
    expect(mismatches, 'first mismatching [x, multiplier, shift]').toEqual([]);
    ctx.dispose();
  });

  for (const [scale, zeroPoint] of [
    [Math.fround(0.1), 0],
    [0.0137, -5],
    [3, 127],
    [1e-30, -128],
    [1e-40, 37],
  ] as const) {
    it(`quantize at every rounding boundary, scale ${scale} zp${zeroPoint}: the reference's int8 values`, async () => {
      const output: QuantParams = { scale, zeroPoint };
      const x = quantizeInputs(new Random(42000), Math.fround(scale));
      const b = await getBackend();
      const y = await b.readQuantized!(b.quantize!(tensor(x, [x.length]), output));
      const expected = quantizeValues(x, output);
      const mismatches = [...x].filter((_, i) => y.data[i] !== expected[i]).slice(0, 5);
      expect(mismatches, 'first mismatching inputs').toEqual([]);
    });
  }

  it('quantize of a device tensor (the float output of dequantize) gives the reference bits', async () => {
    const b = await getBackend();
    const q = new HostQuantizedTensor(
      Int8Array.from({ length: 256 }, (_, i) => i - 128),
      [256],
      { scale: 0.3, zeroPoint: 3 },
    );
    const floats = b.dequantize!(q);
    const y = await b.readQuantized!(b.quantize!(floats, { scale: 0.7, zeroPoint: -2 }));
    const expected = quantizeValues(await b.read(floats), { scale: 0.7, zeroPoint: -2 });
    expect(Array.from(y.data)).toEqual(Array.from(expected));
  });
});
