import { BackendError, randomUniform, ShapeError, type Tensor } from '@sepconv/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend, type CpuBackend } from '../src/cpu-backend.js';
import { CpuContext } from '../src/cpu-context.js';
import { Control, StepSlot } from '../src/pool/control.js';
import { JOB_WORDS, JobSlot, WasmKernel } from '../src/wasm/job-layout.js';
import { WasmRuntime } from '../src/wasm/wasm-runtime.js';

/**
 * A wasmsimd backend on `threads` threads that splits every job (threshold 0), with its runtime
 * for white-box checks; `pipeline: false` runs the queue only when flushed (the tests that edit a
 * job record after recording it need that: a pipelined pool may already have run it).
 */
async function wasmBackend(threads: number, pipeline = true): Promise<{ backend: CpuBackend; runtime: WasmRuntime }> {
  const runtime = await WasmRuntime.create('wasmsimd', threads, 0, pipeline);
  return { backend: cpuBackend(new CpuContext(runtime.heap, runtime, 'wasmsimd', undefined), runtime.threads, []), runtime };
}

const splitting = () => wasmBackend(2);
const splittingAtFlush = () => wasmBackend(2, false);

const x = randomUniform([1, 12, 10, 8], 1);
const depthwise = randomUniform([3, 3, 8, 1], 2);
const pointwise = randomUniform([8, 16], 3);
const pointwise2 = randomUniform([16, 8], 4);

/** A small separable chain: depthwise, pointwise, pointwise again, intermediates disposed as they die. */
function chain(backend: CpuBackend, input: Tensor): Tensor {
  const a = backend.depthwiseConv2d(input, depthwise, { padding: 'same', activation: 'relu6' });
  const b = backend.pointwiseConv2d(a, pointwise, { activation: 'relu' });
  a.dispose();
  const c = backend.pointwiseConv2d(b, pointwise2);
  b.dispose();
  return c;
}

describe('the job queue', () => {
  let one: CpuBackend;
  let expected: Float32Array;

  beforeAll(async () => {
    one = (await wasmBackend(1)).backend;
    expected = await one.read(chain(one, x));
  });
  afterAll(() => one.dispose());

  it('records a chain of kernel calls and runs it as one submission when read, with the 1-thread results bit for bit', async () => {
    const { backend, runtime } = await splitting();
    // The first run packs the weights, which writes on the host and so may run the queue early.
    await backend.read(chain(backend, x));
    const before = backend.submissions;
    const y = chain(backend, x);
    expect(runtime.queue.length).toBe(3);
    expect(backend.submissions).toBe(before);
    expect(await backend.read(y)).toEqual(expected);
    expect(runtime.queue.length).toBe(0);
    expect(backend.submissions).toBe(before + 1);
    backend.dispose();
  });

  it('flush() runs the queue; a host op runs it before reading its inputs', async () => {
    const { backend, runtime } = await splitting();
    const y = chain(backend, x);
    backend.flush();
    expect(runtime.queue.length).toBe(0);
    const z = chain(backend, x);
    // concat runs the reference loop on the host.
    const joined = backend.concat([y, z]);
    expect(runtime.queue.length).toBe(0);
    const pixels = Array.from({ length: expected.length / 8 }, (_, p) => expected.subarray(p * 8, p * 8 + 8));
    expect(await backend.read(joined)).toEqual(Float32Array.from(pixels.flatMap((pixel) => [...pixel, ...pixel])));
    backend.dispose();
  });

  it('queues the wasm element-wise ops like the convolutions, rather than running them on the host', async () => {
    const { backend, runtime } = await splitting();
    const y = chain(backend, x);
    backend.flush();
    const sum = backend.add(y, y);
    expect(runtime.queue.length).toBe(1);
    expect(await backend.read(sum)).toEqual(expected.map((v) => v + v));
    expect(runtime.queue.length).toBe(0);
    backend.dispose();
  });

  it('a bad call throws where it is made and leaves the queued calls to run', async () => {
    const { backend, runtime } = await splitting();
    await backend.read(chain(backend, x));
    const y = chain(backend, x);
    expect(() => backend.pointwiseConv2d(y, pointwise2)).toThrow(ShapeError);
    expect(runtime.queue.length).toBe(3);
    expect(await backend.read(y)).toEqual(expected);
    backend.dispose();
  });

  it('an input disposed while queued is still read by its queued consumer, even when a later host copy could reuse its block', async () => {
    const { backend } = await splitting();
    const resident = backend.upload(x);
    const a = backend.depthwiseConv2d(resident, depthwise, { padding: 'same', activation: 'relu6' });
    resident.dispose();
    // Same size as `resident`: first fit would hand this copy the freed block while `a`'s job still has to read it.
    const other = backend.depthwiseConv2d(randomUniform(x.shape, 9), depthwise, { padding: 'same', activation: 'relu6' });
    const b = backend.pointwiseConv2d(a, pointwise, { activation: 'relu' });
    a.dispose();
    const c = backend.pointwiseConv2d(b, pointwise2);
    expect(await backend.read(c)).toEqual(expected);
    expect(await backend.read(other)).toEqual(
      await one.read(one.depthwiseConv2d(randomUniform(x.shape, 9), depthwise, { padding: 'same', activation: 'relu6' })),
    );
    backend.dispose();
  });

  it('filters disposed while queued: the packed weights stay until the queue has run', async () => {
    const { backend } = await splitting();
    const filter = backend.upload(pointwise);
    const a = backend.depthwiseConv2d(x, depthwise, { padding: 'same', activation: 'relu6' });
    const b = backend.pointwiseConv2d(a, filter, { activation: 'relu' });
    filter.dispose();
    // Packing a new filter writes weights on the host: it must not land on the freed packing `b` still reads.
    const c = backend.pointwiseConv2d(b, randomUniform([16, 8], 4));
    expect(await backend.read(c)).toEqual(expected);
    backend.dispose();
  });

  it('a kernel that fails while the queue runs: the call that ran it throws its BackendError; earlier results stay readable, later ones throw', async () => {
    const { backend, runtime } = await splittingAtFlush();
    await backend.read(chain(backend, x));
    const before = backend.pointwiseConv2d(x, pointwise);
    const failing = backend.pointwiseConv2d(x, pointwise);
    // Turn the recorded job into one that traps on the worker (the caller holds its chunk until the failure is seen).
    const record = (runtime.job >> 2) - JOB_WORDS;
    runtime.heap.ints()[record + JobSlot.kernel] = WasmKernel.trap;
    runtime.heap.ints()[record + JobSlot.x] = runtime.control + Control.failed * 4;
    const after = backend.pointwiseConv2d(failing, pointwise2);
    let error: unknown;
    try {
      await backend.read(after);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).message).toMatch(/^pointwiseConv2d: the kernel failed on worker 1/);
    expect(await backend.read(before)).toEqual(await one.read(one.pointwiseConv2d(x, pointwise)));
    await expect(backend.read(after)).rejects.toThrow(
      /^pointwiseConv2d: the result was never computed: an earlier job of the same run failed \(pointwiseConv2d: the kernel failed/,
    );
    await expect(backend.read(failing)).rejects.toThrow(/^pointwiseConv2d: the kernel failed on worker 1/);
    expect(() => backend.pointwiseConv2d(failing, pointwise2)).toThrow(/^pointwiseConv2d: x holds no result: pointwiseConv2d: the kernel failed/);
    // The queue is empty again and the pool usable.
    expect(await backend.read(chain(backend, x))).toEqual(expected);
    backend.dispose();
  });

  it('dispose() with calls queued drops them: nothing runs, nothing hangs, later calls are refused', async () => {
    const { backend, runtime } = await splittingAtFlush();
    chain(backend, x);
    const submissions = backend.submissions;
    backend.dispose();
    expect(runtime.queue.length).toBe(0);
    expect(backend.submissions).toBe(submissions);
    expect(() => backend.pointwiseConv2d(x, pointwise)).toThrow(BackendError);
  });

  it('a queue longer than the record arena runs in parts, in order', async () => {
    const { backend } = await splitting();
    const small = randomUniform([1, 2, 2, 8], 5);
    const square = randomUniform([8, 8], 6);
    let y: Tensor = backend.upload(small);
    let want: Tensor = small;
    for (let i = 0; i < 600; i++) {
      const next = backend.pointwiseConv2d(y, square, { activation: 'relu6' });
      y.dispose();
      y = next;
      const nextWant = one.pointwiseConv2d(want, square, { activation: 'relu6' });
      if (want !== small) want.dispose();
      want = nextWant;
    }
    expect(await backend.read(y)).toEqual(await one.read(want));
    backend.dispose();
  });
});

const square = randomUniform([8, 8], 7);
const halve = randomUniform([16, 8], 8);

/** A deeper chain: separable blocks with residual adds, a host op (concat) midway, intermediates disposed as they die. */
function deepChain(backend: CpuBackend, input: Tensor): Tensor {
  let y = backend.pointwiseConv2d(input, square);
  for (let block = 0; block < 8; block++) {
    const a = backend.depthwiseConv2d(y, depthwise, { padding: 'same', activation: 'relu6' });
    const b = backend.pointwiseConv2d(a, pointwise, { activation: 'relu' });
    a.dispose();
    const c = backend.pointwiseConv2d(b, pointwise2);
    b.dispose();
    const sum = backend.add(c, y);
    c.dispose();
    y.dispose();
    y = sum;
    if (block === 3) {
      // A host op reads its inputs: the open run is finished first, the next calls start another.
      const joined = backend.concat([y, y]);
      const halved = backend.pointwiseConv2d(joined, halve);
      joined.dispose();
      y.dispose();
      y = halved;
    }
  }
  return y;
}

describe('the job queue, pipelined: workers start on a chain while it is recorded', () => {
  it('runs the first jobs before the queue is flushed, and reads the 1-thread results bit for bit', async () => {
    const one = (await wasmBackend(1)).backend;
    const { backend, runtime } = await splitting();
    // Once whole first: packing the weights writes on the host, which runs the queue.
    await backend.read(chain(backend, x));
    const y = chain(backend, x);
    expect(runtime.pool!.isOpen).toBe(true);
    expect(runtime.queue.length).toBe(3);
    const words = new Int32Array(runtime.heap.memory.buffer, runtime.control, Control.words);
    const done = () => Atomics.load(words, Control.table + StepSlot.done);
    const chunks = Atomics.load(words, Control.table + StepSlot.chunks);
    const deadline = performance.now() + 10_000;
    while (done() < chunks && performance.now() < deadline);
    // The worker finished the first job on its own: nothing has flushed the queue.
    expect(done()).toBe(chunks);
    expect(runtime.queue.length).toBe(3);
    expect(await backend.read(y)).toEqual(await one.read(chain(one, x)));
    expect(runtime.pool!.isOpen).toBe(false);
    one.dispose();
    backend.dispose();
  });

  it('without pipelining the queue waits for the flush', async () => {
    const { backend, runtime } = await splittingAtFlush();
    await backend.read(chain(backend, x));
    const y = chain(backend, x);
    expect(runtime.pool!.isOpen).toBe(false);
    expect(runtime.queue.length).toBe(3);
    backend.flush();
    expect(runtime.queue.length).toBe(0);
    y.dispose();
    backend.dispose();
  });

  it('a deep chain with residual adds, a host op midway and blocks reused as they free: the 1-thread results bit for bit, twice', async () => {
    const one = (await wasmBackend(1)).backend;
    const { backend } = await splitting();
    const expectedDeep = await one.read(deepChain(one, x));
    for (let run = 0; run < 2; run++) expect(await backend.read(deepChain(backend, x))).toEqual(expectedDeep);
    one.dispose();
    backend.dispose();
  });

  it('dispose() while a run is open: nothing hangs, and a new backend works', async () => {
    const { backend, runtime } = await splitting();
    deepChain(backend, x);
    expect(runtime.pool!.isOpen).toBe(true);
    backend.dispose();
    expect(() => backend.pointwiseConv2d(x, pointwise)).toThrow(BackendError);
    const { backend: again } = await splitting();
    const one = (await wasmBackend(1)).backend;
    expect(await again.read(chain(again, x))).toEqual(await one.read(chain(one, x)));
    one.dispose();
    again.dispose();
  });
});

describe.each([
  ['run at the flush', false],
  ['pipelined', true],
])('the job queue (%s): a worker that dies mid-queue', (_title, pipeline) => {
  it('fails the run with the BackendError naming the op it died in; the next run works', async () => {
    const { backend, runtime } = await wasmBackend(2, pipeline);
    const small = backend.upload(randomUniform([1, 8, 8, 8], 1));
    const big = backend.upload(randomUniform([1, 96, 96, 64], 3));
    const bigFilter = randomUniform([3, 3, 64, 128], 4);
    const zFilter = randomUniform([128, 4], 5);
    const run = () => {
      const a = backend.pointwiseConv2d(small, pointwise);
      const y = backend.conv2d(big, bigFilter, { padding: 'same' });
      const z = backend.pointwiseConv2d(y, zFilter);
      return [a, y, z] as const;
    };
    // Once whole, so weights are packed and the scratch sized: the runs below only queue and read.
    for (const t of run()) t.dispose();
    backend.flush();
    let error: unknown;
    // Each attempt has the supervisor kill worker 1 once it is busy in the run; a kill that lands
    // while the worker holds no chunk (at a barrier, or after its last one) leaves nothing
    // unfinished, so the run rightly succeeds and the next attempt tries again.
    for (let attempt = 0; attempt < 10 && error === undefined; attempt++) {
      const replaced = runtime.pool!.terminateWorker(1, true);
      const [a, y, z] = run();
      try {
        await backend.read(z);
      } catch (e) {
        error = e;
        // Mostly killed in the long `y`; but a worker descheduled on a busy machine while it
        // holds a chunk of `a` (more likely pipelined: it runs `a` alone from the moment it is
        // recorded) is killed in `a`, which the error then names. Either way the jobs before
        // the one it died in are complete, those after it never ran.
        if ((e as BackendError).op === 'conv2d') {
          expect(await backend.read(a)).toHaveLength(8 * 8 * 16);
          await expect(backend.read(z)).rejects.toThrow(/never computed/);
        } else {
          // Killed in `a`: `y` never ran. (Or in `z`, the last: `a` and `y` both complete.)
          const aDone = await backend.read(a).then(
            () => true,
            () => false,
          );
          if (aDone) expect(await backend.read(y)).toHaveLength(96 * 96 * 128);
          else await expect(backend.read(y)).rejects.toThrow(/never computed/);
        }
      }
      for (const t of [a, y, z]) t.dispose();
      expect(await replaced).toEqual({ replaced: 1 });
    }
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).argument).toBe('worker');
    expect((error as Error).message).toMatch(/^(conv2d|pointwiseConv2d): worker 1 of the CPU backend's pool died during the call/);
    const { backend: one } = await wasmBackend(1);
    expect(await backend.read(chain(backend, x))).toEqual(await one.read(chain(one, x)));
    one.dispose();
    backend.dispose();
  }, 60_000);
});
