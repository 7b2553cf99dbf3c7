// The worker mode's protocol, over a MessageChannel in this thread: every message is
// structured-cloned exactly as between a page and its Worker (HostTensor classes lost, typed
// arrays kept, transferred buffers detached), so what crosses and what comes back is tested
// here; that predicts run off the page's main thread is tested in Chromium by the docs' demo
// test (apps/docs/test/demo.test.ts).
import { createCpuBackend } from '@sepconv/cpu';
import { BackendError, HostTensor, randomUniform, ShapeError, UnsupportedError, ValueError, type Backend } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { afterEach, describe, expect, it } from 'vitest';
import { mobilenetV1, ssdMobileNetV1 } from '../src/spec/index.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { quantizeModel } from '../src/quantize/quantize-model.js';
import { randomWeights } from '../src/weights/random-weights.js';
import { instantiateInWorker, serveModelWorker, type WorkerModel } from '../src/worker/index.js';

const spec = mobilenetV1({ alpha: 0.25, resolution: 32, classes: 10 });
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A channel whose port2 is served like a worker's scope; port1 is the page's end. */
function servedChannel(backends: Parameters<typeof serveModelWorker>[0]): MessagePort {
  const { port1, port2 } = new MessageChannel();
  const stop = serveModelWorker(backends, port2);
  cleanups.push(() => {
    stop();
    port1.close();
    port2.close();
  });
  return port1;
}

function host(t: unknown): HostTensor {
  if (!(t instanceof HostTensor)) throw new Error('expected one host tensor');
  return t;
}

/** A reference backend that counts its disposals, to see what the worker frees. */
function countingReference(counter: { disposed: number }): Backend {
  const backend = createReferenceBackend();
  const dispose = backend.dispose.bind(backend);
  return Object.assign(backend, { dispose: () => (counter.disposed++, dispose()) });
}

describe('instantiateInWorker + serveModelWorker', () => {
  it("tunes in the worker when asked and hands back the worker's tuning report", async () => {
    const port = servedChannel({ cpu: createCpuBackend });
    const model = await instantiateInWorker(port, spec, { backend: 'cpu', backendOptions: { threads: 1 }, tune: { budgetMs: 300, repeats: 1 } });
    expect(model.tuning!.fingerprint).toMatch(/^cpu /);
    expect(model.tuning!.steps.length).toBeGreaterThan(0);
    expect(model.tuning!.steps.every((step) => step.candidates.some((c) => c.name === step.chosen))).toBe(true);
    expect(host(await model.predictAsync(randomUniform([1, 32, 32, 3], 5))).shape).toEqual([1, 10]);
    await model.dispose();
    const untuned = await instantiateInWorker(port, spec, { backend: 'cpu', backendOptions: { threads: 1 } });
    expect(untuned.tuning).toBeUndefined();
    await untuned.dispose();
    for (const [options, argument] of [
      [{ tuneCache: 'disk' }, 'options.tuneCache'],
      [{ tune: { now: () => 0 } }, 'options.tune.now'],
    ] as const) {
      const error = await instantiateInWorker(port, spec, { backend: 'cpu', ...options } as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValueError);
      expect((error as ValueError).argument).toBe(argument);
    }
    // Tuning options the worker's instantiate refuses come back as its typed error.
    const refused = await instantiateInWorker(port, spec, { backend: 'cpu', tune: -5 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValueError);
    expect((refused as ValueError).argument).toBe('options.tune');
  });

  it('predicts what instantiate gives in this thread, on the CPU backend in the "worker", and says which backend', async () => {
    const port = servedChannel({ cpu: createCpuBackend });
    const model = await instantiateInWorker(port, spec, { backend: 'cpu', backendOptions: { threads: 1 }, seed: 3 });
    expect(model.backend).toMatchObject({ name: 'cpu', threads: 1, notes: [] });
    expect(model.backend.isa).toMatch(/^wasm|^js$/);
    const x = randomUniform([2, 32, 32, 3], 5);
    const y = host(await model.predictAsync(x));
    const local = await instantiate(spec, createReferenceBackend(), { seed: 3 });
    const expected = host(await local.predictAsync(x));
    expect(y.shape).toEqual([2, 10]);
    expect(Math.max(...y.data.map((v, i) => Math.abs(v - expected.data[i]!)))).toBeLessThan(1e-5);
    expect(x.data.length).toBe(2 * 32 * 32 * 3); // copied, not moved: the caller's tensor is intact
    await model.dispose();
  });

  it('runs a quantized model: its int8 kernels and int32 biases cross, and it predicts the same bits as in this thread', async () => {
    const port = servedChannel({ reference: () => createReferenceBackend() });
    const quantized = await quantizeModel(spec, randomWeights(spec, 4), { calibration: randomUniform([2, 32, 32, 3], 6) });
    const x = randomUniform([2, 32, 32, 3], 8);
    const expected = host(await (await instantiate(quantized.spec, createReferenceBackend(), { weights: quantized.weights })).predictAsync(x));
    const model = await instantiateInWorker(port, quantized.spec, { backend: 'reference', weights: quantized.weights });
    expect(host(await model.predictAsync(x)).data).toEqual(expected.data);
    await model.dispose();
    await expect(
      instantiateInWorker(port, quantized.spec, { backend: 'reference', weights: new Map([['conv1/kernel', { dtype: 'int4' }]]) as never }),
    ).rejects.toThrow(/instantiateInWorker: each weight must be a host tensor, or a quantized model's int8 kernel or int32 bias/);
  });

  it('sends a WeightMap (copied, or moved with transferWeights) and runs on it', async () => {
    const port = servedChannel({ reference: () => createReferenceBackend() });
    const weights = randomWeights(spec, 11);
    const x = randomUniform([1, 32, 32, 3], 2);
    const expected = host(await (await instantiate(spec, createReferenceBackend(), { weights })).predictAsync(x));

    const copied = await instantiateInWorker(port, spec, { backend: 'reference', weights });
    expect(host(await copied.predictAsync(x)).data).toEqual(expected.data);
    expect([...weights.values()].every((w) => w.data.length > 0)).toBe(true);

    const moved = await instantiateInWorker(port, spec, { backend: 'reference', weights, transferWeights: true });
    expect(host(await moved.predictAsync(x, { transfer: true })).data).toEqual(expected.data);
    // Moved buffers are detached here: the weights (whole buffers) and the input.
    expect([...weights.values()].some((w) => w.data.buffer.byteLength === 0)).toBe(true);
    expect(x.data.buffer.byteLength).toBe(0);
    await Promise.all([copied.dispose(), moved.dispose()]);
  });

  it('a model with several outputs comes back as the same record of host tensors', async () => {
    const ssd = ssdMobileNetV1({ resolution: 64 });
    const port = servedChannel({ cpu: createCpuBackend });
    const model = await instantiateInWorker(port, ssd, { backend: 'cpu', backendOptions: { threads: 1 } });
    const x = randomUniform([1, 64, 64, 3], 4);
    const outputs = await model.predictAsync(x);
    const expected = await (await instantiate(ssd, createReferenceBackend())).predictAsync(x);
    if (outputs instanceof HostTensor || expected instanceof HostTensor) throw new Error('expected a record of outputs');
    expect(Object.keys(outputs)).toEqual(Object.keys(expected));
    expect(Object.keys(outputs)).toHaveLength(12);
    for (const [name, y] of Object.entries(outputs)) {
      expect(y, name).toBeInstanceOf(HostTensor);
      expect(y.shape, name).toEqual(expected[name]!.shape);
      expect(Math.max(...y.data.map((v, i) => Math.abs(v - expected[name]!.data[i]!))), name).toBeLessThan(1e-3);
    }
    await model.dispose();
  });

  it('disposes the model and its backend in the worker, once; a later predict is an UnsupportedError', async () => {
    const counter = { disposed: 0 };
    const port = servedChannel({ reference: () => countingReference(counter) });
    const model = await instantiateInWorker(port, spec, { backend: 'reference' });
    await Promise.all([model.dispose(), model.dispose()]);
    expect(counter.disposed).toBe(1);
    const error = await model.predictAsync(randomUniform([1, 32, 32, 3], 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as UnsupportedError).message).toBe('predict: the model has been disposed');
  });

  it('the function serveModelWorker returns stops serving and frees every model it holds', async () => {
    const counter = { disposed: 0 };
    const { port1, port2 } = new MessageChannel();
    const stop = serveModelWorker({ reference: () => countingReference(counter) }, port2);
    await instantiateInWorker(port1, spec, { backend: 'reference' });
    await instantiateInWorker(port1, spec, { backend: 'reference' });
    stop();
    expect(counter.disposed).toBe(2);
    port1.close();
  });

  it('ignores messages that are not its protocol (the page may use the same worker for its own)', async () => {
    const port = servedChannel({ reference: () => createReferenceBackend() });
    port.postMessage({ id: 'mine', kind: 'predict' });
    port.postMessage('hello');
    const model = await instantiateInWorker(port, spec, { backend: 'reference' });
    expect(host(await model.predictAsync(randomUniform([1, 32, 32, 3], 1))).shape).toEqual([1, 10]);
    await model.dispose();
  });
});

describe('errors cross back typed, naming the op and the argument', () => {
  let model: WorkerModel;

  it('a wrong input shape is the ShapeError predict throws in the worker', async () => {
    const port = servedChannel({ reference: () => createReferenceBackend() });
    model = await instantiateInWorker(port, spec, { backend: 'reference' });
    const error = await model.predictAsync(randomUniform([1, 31, 32, 3], 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShapeError);
    expect(error).toMatchObject({ op: 'predict', argument: 'x' });
    expect((error as Error).message).toBe('predict: x must be [batch, 32, 32, 3] (NHWC), got [1, 31, 32, 3]');
    await model.dispose();
  });

  it('backend options the factory refuses: its ValueError (createCpuBackend, options.threads)', async () => {
    const port = servedChannel({ cpu: createCpuBackend });
    const error = await instantiateInWorker(port, spec, { backend: 'cpu', backendOptions: { threads: 0 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValueError);
    expect(error).toMatchObject({ op: 'createCpuBackend', argument: 'options.threads' });
  });

  it('weights that do not fit the spec: instantiate’s error, and the backend created for them is disposed', async () => {
    const counter = { disposed: 0 };
    const port = servedChannel({ reference: () => countingReference(counter) });
    const weights = new Map(randomWeights(spec, 1));
    weights.delete('conv1/kernel');
    const error = await instantiateInWorker(port, spec, { backend: 'reference', weights }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValueError);
    expect((error as Error).message).toMatch(/conv1\/kernel/);
    expect(counter.disposed).toBe(1);
  });

  it('a backend the worker does not offer: a ValueError listing the ones it does', async () => {
    const port = servedChannel({ cpu: createCpuBackend, reference: () => createReferenceBackend() });
    const error = await instantiateInWorker(port, spec, { backend: 'webgpu' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValueError);
    expect(error).toMatchObject({ op: 'instantiateInWorker', argument: 'options.backend' });
    expect((error as Error).message).toMatch(/one of the worker's backends \('cpu', 'reference'\), got 'webgpu'/);
  });

  it('a worker that does not serve: a BackendError after timeoutMs, not a hang', async () => {
    const { port1, port2 } = new MessageChannel();
    cleanups.push(() => (port1.close(), port2.close()));
    const error = await instantiateInWorker(port1, spec, { backend: 'cpu', timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(
      /^instantiateInWorker: the worker did not answer within 50 ms: does its script call serveModelWorker\(\)/,
    );
  });

  it('backend options that cannot be cloned: a BackendError naming the worker', async () => {
    const port = servedChannel({ reference: () => createReferenceBackend() });
    const error = await instantiateInWorker(port, spec, { backend: 'reference', backendOptions: { log: () => {} } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(/^instantiateInWorker: the request could not be sent to the worker/);
  });

  it('bad arguments on the page: ValueErrors naming them', async () => {
    const port = servedChannel({ reference: () => createReferenceBackend() });
    const cases: [() => Promise<unknown>, string][] = [
      [() => instantiateInWorker({} as MessagePort, spec, { backend: 'reference' }), 'worker'],
      [() => instantiateInWorker(port, spec, undefined as never), 'options'],
      [() => instantiateInWorker(port, spec, { backend: 3 as never }), 'options.backend'],
      [() => instantiateInWorker(port, spec, { backend: 'reference', weights: 'trained' as never }), 'options.weights'],
      [
        () => instantiateInWorker(port, spec, { backend: 'reference', weights: new Map([['conv1/kernel', [1, 2] as never]]) }),
        "options.weights['conv1/kernel']",
      ],
      [() => instantiateInWorker(port, spec, { backend: 'reference', timeoutMs: 0 }), 'options.timeoutMs'],
    ];
    for (const [call, argument] of cases) {
      const error = await call().catch((e: unknown) => e);
      expect(error, argument).toBeInstanceOf(ValueError);
      expect((error as ValueError).argument).toBe(argument);
    }
    const model = await instantiateInWorker(port, spec, { backend: 'reference' });
    for (const x of [new Float32Array(3), {}, null, { a: new Float32Array(3) }]) {
      const error = await model.predictAsync(x as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValueError);
      expect(error).toMatchObject({ op: 'predict', argument: 'x' });
    }
    await model.dispose();
  });

  it('serveModelWorker refuses bad backends, and outside a worker with no endpoint says so', () => {
    const { port2 } = new MessageChannel();
    for (const backends of [{}, null, { cpu: 'createCpuBackend' }]) {
      expect(() => serveModelWorker(backends as never, port2)).toThrow(ValueError);
    }
    expect(() => serveModelWorker({ cpu: createCpuBackend })).toThrow(/this is not a worker: call it in a worker script, or pass a MessagePort/);
    expect(() => serveModelWorker({ cpu: createCpuBackend }, {} as MessagePort)).toThrow(/endpoint must be a Worker/);
    port2.close();
  });
});
