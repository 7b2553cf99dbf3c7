import { createCpuBackend } from '@sepconv/cpu';
import { isHostTensor, randomUniform } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { mobilenetV1, mobilenetV2 } from '../src/spec/index.js';

describe('memory on the CPU backend', () => {
  it.each([
    ['MobileNetV1 0.25-32', mobilenetV1({ alpha: 0.25, resolution: 32, classes: 10 })],
    ['MobileNetV2 0.35-32', mobilenetV2({ alpha: 0.35, resolution: 32, classes: 10 })],
  ])('%s: instantiate, predict and dispose in a loop holds no more memory after 4 cycles than after 1', async (_name, spec) => {
    const backend = await createCpuBackend({ threads: 1 });
    try {
      const x = randomUniform([1, 32, 32, 3], 1);
      const held: number[] = [];
      for (let cycle = 0; cycle < 4; cycle++) {
        const model = await instantiate(spec, backend, { seed: cycle });
        onlyOutput(model.predict(x)).dispose();
        // predictAsync's result is a host tensor: forgetting it costs the backend nothing.
        expect(isHostTensor(onlyOutput(await model.predictAsync(x)))).toBe(true);
        model.dispose();
        held.push(backend.allocatedBytes);
      }
      expect(held.slice(1)).toEqual([held[0], held[0], held[0]]);
    } finally {
      backend.dispose();
    }
  });

  it('predict inside backend.scope keeps only its result: the backend holds what it held before once the result is disposed', async () => {
    const backend = await createCpuBackend({ threads: 1 });
    try {
      const model = await instantiate(mobilenetV2({ alpha: 0.35, resolution: 32, classes: 10 }), backend, { seed: 1 });
      const x = randomUniform([1, 32, 32, 3], 1);
      onlyOutput(model.predict(x)).dispose();
      const before = backend.allocatedBytes;
      const expected = onlyOutput(await model.predictAsync(x));
      const y = backend.scope(() => {
        onlyOutput(model.predict(x)).dispose();
        return onlyOutput(model.predict(x));
      });
      expect(Array.from(await backend.read(y))).toEqual(Array.from(expected.data));
      y.dispose();
      expect(backend.allocatedBytes).toBe(before);
      model.dispose();
    } finally {
      backend.dispose();
    }
  });

  it.each([
    ['MobileNetV1 0.25-64', mobilenetV1({ alpha: 0.25, resolution: 64, classes: 10 })],
    ['MobileNetV2 0.35-64', mobilenetV2({ alpha: 0.35, resolution: 64, classes: 10 })],
  ])(
    '%s on 2 threads: in steady state a predict is one pool submission and allocates nothing new — the same live and free blocks, no growth',
    async (_name, spec) => {
      const backend = await createCpuBackend({ threads: 2 });
      try {
        const model = await instantiate(spec, backend, { seed: 1 });
        const x = randomUniform([1, 64, 64, 3], 1);
        // The first predict packs the weights between layers; the second is the first laid out as every later one.
        for (let warm = 0; warm < 2; warm++) await model.predictAsync(x);
        const stats = [];
        const submissions = [];
        for (let run = 0; run < 3; run++) {
          const before = backend.submissions;
          await model.predictAsync(x);
          submissions.push(backend.submissions - before);
          stats.push(backend.heapStats);
        }
        expect(stats[1]).toEqual(stats[0]);
        expect(stats[2]).toEqual(stats[0]);
        // Every step of both runs in WebAssembly (convolutions; V2's residual adds): the whole
        // predict reaches the worker pool as one submission, run by the read at its end.
        expect(submissions).toEqual([1, 1, 1]);
        model.dispose();
      } finally {
        backend.dispose();
      }
    },
  );
});
