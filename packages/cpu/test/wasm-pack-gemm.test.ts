import { randomUniform } from '@sepconv/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { CpuContext } from '../src/cpu-context.js';
import { floatIndex } from '../src/heap.js';
import { packedGemmLength, packGemm } from '../src/pack/pack-gemm.js';
import { wasmPackGemm } from '../src/pack/wasm-pack-gemm.js';
import { WasmRuntime } from '../src/wasm/wasm-runtime.js';

/** Runtimes on 1 thread and on 2 that split every job (threshold 0), so panels are shared between threads. */
const runtimes = [await WasmRuntime.create('wasmsimd', 1), await WasmRuntime.create('wasmsimd', 2, 0)];
afterAll(() => runtimes.forEach((runtime) => runtime.dispose()));

/** Random values with a negative zero, a subnormal and a large value among them. */
function values(length: number, seed: number): Float32Array {
  const data = randomUniform([length], seed, -3, 3).data;
  data[0] = -0;
  if (length > 1) data[1] = 1e-42;
  if (length > 2) data[2] = 3e38;
  return data;
}

/** The bits of `length` floats of `runtime`'s heap at byte address `address`. */
function heapBits(runtime: WasmRuntime, address: number, length: number): Uint32Array {
  const floats = runtime.heap.floats();
  return new Uint32Array(floats.buffer, floats.byteOffset + address, length).slice();
}

describe('wasmPackGemm', () => {
  // Output channels below, equal to, above and a multiple of the 8-channel panel.
  const shapes = [
    [1, 3, 5],
    [1, 4, 8],
    [9, 3, 9],
    [9, 2, 16],
    [1, 1, 1],
    [1, 64, 100],
  ] as const;
  for (const [index, runtime] of runtimes.entries()) {
    for (const [taps, inChannels, outChannels] of shapes) {
      for (const [withScale, withBias] of [
        [true, true],
        [false, false],
      ] as const) {
        it(`${runtime.threads} thread(s), taps ${taps}, ${inChannels} → ${outChannels}, ${withScale ? 'scaled, with bias' : 'no scale, no bias'}: the bits packGemm writes`, () => {
          const seed = index * 1000 + taps * 100 + inChannels * 10 + outChannels;
          const filter = values(taps * inChannels * outChannels, seed);
          const scale = withScale ? values(outChannels, seed + 1) : undefined;
          const bias = withBias ? values(outChannels, seed + 2) : undefined;
          const length = packedGemmLength(taps, inChannels, outChannels);
          const expected = new Float32Array(length);
          packGemm(filter, bias, taps, inChannels, outChannels, expected, 0, scale);

          const ctx = new CpuContext(runtime.heap, runtime, 'wasmsimd', undefined);
          const packed = runtime.heap.allocHost(length * 4, 'test');
          // Garbage where the panels go: every float must be written.
          runtime.heap.floats().fill(Number.NaN, floatIndex(packed), floatIndex(packed) + length);
          wasmPackGemm(ctx, runtime, 'test', () => ({ filter, scale, bias }), taps, inChannels, outChannels, packed);
          expect(heapBits(runtime, packed, length)).toEqual(new Uint32Array(expected.buffer));
          runtime.heap.release(packed);
        });
      }
    }
  }
});
