// The WebAssembly int8 element-wise kernels (`quantize` and `quantizedAdd` of equal shapes) give
// the reference's integers exactly: quantizedAdd over every (a, b) pair of int8 values for many
// random scale/zero-point sets (millions of results through the fixed-point arithmetic of
// fixed-point.ts), quantize over millions of random floats plus the ties, infinities, zeros and
// extremes, on 1 and 2 threads, with lengths that end inside a vector; NaN is refused.
import { HostQuantizedTensor, Random, tensor, ValueError, type QuantizedTensor, type QuantParams } from '@sepconv/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { createCpuBackend, type CpuBackend } from '../src/index.js';
import { int8Reference as reference, randomInt8Tensor } from './support/int8-test-data.js';

const backends: CpuBackend[] = [];
afterAll(() => {
  for (const backend of backends) backend.dispose();
});

async function backendWith(threads: number): Promise<CpuBackend> {
  const backend = await createCpuBackend({ threads, parallelThreshold: 0 });
  backends.push(backend);
  return backend;
}

async function int8Of(backend: CpuBackend, t: QuantizedTensor): Promise<Int8Array> {
  return (await backend.readQuantized(t)).data;
}

/** Every (a, b) pair of int8 values, a varying slowest: 65,536 elements. */
function allPairs(): { a: Int8Array; b: Int8Array } {
  const a = new Int8Array(65536);
  const b = new Int8Array(65536);
  for (let i = 0; i < 65536; i++) {
    a[i] = (i >> 8) - 128;
    b[i] = (i & 255) - 128;
  }
  return { a, b };
}

function randomParams(random: Random): QuantParams {
  // Scales over four orders of magnitude: the multipliers and shifts cover a wide range.
  return { scale: 10 ** random.uniform(-3, 1), zeroPoint: random.int(-128, 127) };
}

describe.each([1, 2])('int8 element-wise kernels on %i thread(s)', (threads) => {
  it('quantizedAdd gives the reference result for every pair of int8 values', async () => {
    const backend = await backendWith(threads);
    const random = new Random(40 + threads);
    const { a, b } = allPairs();
    const activations = ['linear', 'relu', 'relu6'] as const;
    for (let trial = 0; trial < 16; trial++) {
      const aParams = randomParams(random);
      // Some trials give a and b the same scale, or scales far apart.
      const bParams = trial % 4 === 0 ? { ...aParams, zeroPoint: random.int(-128, 127) } : randomParams(random);
      const output = trial % 5 === 0 ? { scale: aParams.scale / 100, zeroPoint: random.int(-128, 127) } : randomParams(random);
      const activation = activations[trial % 3]!;
      // Equal shapes whose length is not a multiple of the 16-element vector step.
      const length = trial % 2 === 0 ? 65536 : 65536 - random.int(1, 15);
      const shape = [1, length];
      const ta = new HostQuantizedTensor(a.subarray(0, length), shape, aParams);
      const tb = new HostQuantizedTensor(b.subarray(0, length), shape, bParams);
      const actual = await int8Of(backend, backend.quantizedAdd(ta, tb, { output, activation }));
      const expected = (await reference.readQuantized(reference.quantizedAdd(ta, tb, { output, activation }))).data;
      expect(actual).toEqual(expected);
    }
  }, 120_000);

  it('quantizedAdd reads its own int8 tensors in place, at every small length, and add and mul broadcast as the reference', async () => {
    const backend = await backendWith(threads);
    const random = new Random(7);
    const p = { scale: 0.05, zeroPoint: -7 };
    const q = { scale: 0.11, zeroPoint: 12 };
    const out = { scale: 0.09, zeroPoint: -3 };
    for (let length = 0; length <= 40; length++) {
      const shape = [1, 1, length, 1];
      const a = randomInt8Tensor(random, shape, p);
      const b = randomInt8Tensor(random, shape, q);
      const residentA = backend.quantizedReshape(a, shape);
      const actual = backend.quantizedAdd(residentA, b, { output: out, activation: 'relu6' });
      expect(actual.shape).toEqual(shape);
      expect(await int8Of(backend, actual)).toEqual(
        (await reference.readQuantized(reference.quantizedAdd(a, b, { output: out, activation: 'relu6' }))).data,
      );
    }
    // Broadcasts: a channel vector ([N, H, W, C] ∘ [C]) the kernels walk, and [N, H, W, C] ∘
    // [H, W, C], which they do not (the reference loop on the backend's own tensors): the same
    // integers either way, for add and mul.
    const x = randomInt8Tensor(random, [2, 3, 3, 5], p);
    for (const shape of [[5], [3, 3, 5]]) {
      const v = randomInt8Tensor(random, shape, q);
      for (const op of ['quantizedAdd', 'quantizedMul'] as const) {
        expect(await int8Of(backend, backend[op](x, v, { output: out })), `${op} [${shape}]`).toEqual(
          (await reference.readQuantized(reference[op](x, v, { output: out }))).data,
        );
      }
    }
  });

  it('quantize gives the reference result for millions of random floats and the edge values', async () => {
    const backend = await backendWith(threads);
    const random = new Random(90 + threads);
    const length = 1 << 18;
    const values = new Float32Array(length);
    for (let trial = 0; trial < 4; trial++) {
      const params = randomParams(random);
      const { scale, zeroPoint } = { scale: Math.fround(params.scale), zeroPoint: params.zeroPoint };
      for (let i = 0; i < length; i++) {
        // Mostly inside the int8 range, with ties (k + 0.5)·scale, their float neighbours and saturating values.
        const kind = i % 4;
        const k = random.int(-200, 200);
        if (kind === 0) values[i] = random.uniform(-300, 300) * scale;
        else if (kind === 1) values[i] = (k + 0.5) * scale;
        else if (kind === 2) values[i] = Math.fround((k + 0.5) * scale) * (1 + (random.int(0, 1) ? 1 : -1) * 2 ** -23);
        else values[i] = random.uniform(-1, 1) * 10 ** random.int(-40, 38);
      }
      const edges = [
        0,
        -0,
        Infinity,
        -Infinity,
        0.5 * scale,
        -0.5 * scale,
        1.5 * scale,
        -2.5 * scale,
        3.4e38,
        -3.4e38,
        1e-45,
        -1e-45,
        8388608.5,
        2 ** 24,
      ];
      values.set(edges, 0);
      const x = tensor(values.subarray(0, length - trial), [length - trial]);
      const actual = await int8Of(backend, backend.quantize(x, { scale, zeroPoint }));
      const expected = (await reference.readQuantized(reference.quantize(x, { scale, zeroPoint }))).data;
      expect(actual).toEqual(expected);
    }
  }, 120_000);

  it('quantize reads a float tensor already in the heap in place', async () => {
    const backend = await backendWith(threads);
    const random = new Random(5);
    const x = tensor(
      Float32Array.from({ length: 1000 }, () => random.uniform(-20, 20)),
      [10, 100],
    );
    const params = { scale: 0.125, zeroPoint: -9 };
    const actual = await int8Of(backend, backend.quantize(backend.upload(x), params));
    expect(actual).toEqual((await reference.readQuantized(reference.quantize(x, params))).data);
  });

  it('quantize refuses NaN with the reference error, naming the op and x, found by the kernel (at the read), also for a tensor in the heap', async () => {
    const backend = await backendWith(threads);
    const params = { scale: 0.1, zeroPoint: 0 };
    // NaN at index 2, in a full 16-lane step (index 21) and in a share's tail (the last of 37).
    for (const [length, at] of [
      [4, 2],
      [37, 21],
      [37, 36],
    ] as const) {
      const values = Array.from({ length }, (_, i) => i / 4);
      values[at] = Number.NaN;
      const x = tensor(values, [length]);
      const y = backend.quantize(x, params);
      const read = backend.readQuantized(y);
      await expect(read).rejects.toThrow(ValueError);
      await expect(backend.readQuantized(y)).rejects.toThrow(new RegExp(`^quantize: x must not hold NaN .*index ${at}$`));
      // A heap tensor's data may be reused by then: the error names no index.
      const own = backend.quantize(backend.upload(x), params);
      await expect(backend.readQuantized(own)).rejects.toThrow(/^quantize: x must not hold NaN \(it has no int8 value\), got NaN/);
    }
    // Clean data in the same queue as a NaN'd one: only the NaN's call (and what follows it) fails, later runs work.
    const clean = backend.quantize(tensor([1, 2, 3, 4], [4]), params);
    expect(Array.from((await backend.readQuantized(clean)).data)).toEqual([10, 20, 30, 40]);
  });
});
