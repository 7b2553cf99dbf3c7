// loadModel end to end on real model files (nsfwjs's Keras and graph MobileNetV2s, a tiny
// converter-style graph in two shards) served by a local HTTP server, read from disk and from
// memory: what it loads equals what the byte-level readers give for the same bytes; progress,
// abort, HTTP errors and every bad source get their documented behaviour.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SepconvError, UnsupportedError, ValueError, type HostTensor } from '@sepconv/tensor';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  LoadAbortedError,
  loadGraphModel,
  loadLayersModel,
  loadModel,
  loadOnnxModel,
  ModelFileError,
  type LoadProgress,
  type WeightMap,
} from '../src/index.js';
import type { QuantizedWeightMap } from '../src/quantize/quantized-model-spec.js';
import { writeModelFiles } from './support/model-files.js';
import { onnxMobileNetV2 } from './support/onnx-mobilenets.js';
import { faceApiSsdMobileNetV1 } from './support/real-models.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';

const files = writeModelFiles();
const expectedLayers = loadLayersModel(files.layers.modelJson, files.layers.weightData);
const expectedTinyGraph = loadGraphModel(files.tinyGraph.modelJson, files.tinyGraph.weightData);
let server: StaticServer;

// An abort or a failed shard must not leave a rejected promise nobody handles.
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = await startStaticServer(files.root);
});
beforeEach(() => {
  server.requests.length = 0;
});
afterEach(async () => {
  // Rejections are reported after a macrotask turn.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(unhandled).toEqual([]);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server.close();
  files.remove();
});

/** The outcome of a call as data, so a test can say "loadModel does what the reader does", whether that is a model or an error. */
async function outcome<T>(run: () => T | Promise<T>): Promise<{ value: T } | { error: string }> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/** Same names in the same order, same shapes, bit-identical data (vitest's deep equality takes seconds per MB of floats). */
function expectSameWeights(given: WeightMap | QuantizedWeightMap, expected: WeightMap): void {
  const actual = given as WeightMap;
  expect([...actual].map(([name, t]) => [name, t.shape])).toEqual([...expected].map(([name, t]) => [name, t.shape]));
  const bytes = (t: HostTensor) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const differing = [...actual].filter(([name, t]) => !bytes(t).equals(bytes(expected.get(name)!))).map(([name]) => name);
  expect(differing).toEqual([]);
}

/** `promise`, or a failure after `ms` saying what did not happen. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function recorder(): { events: LoadProgress[]; onProgress: (p: LoadProgress) => void } {
  const events: LoadProgress[] = [];
  return { events, onProgress: (p) => events.push(p) };
}

function expectWellFormedProgress(events: readonly LoadProgress[], totalBytes: number): void {
  expect(events.length).toBeGreaterThan(1);
  for (let i = 1; i < events.length; i++) expect(events[i]!.loadedBytes).toBeGreaterThanOrEqual(events[i - 1]!.loadedBytes);
  let lastFraction = 0;
  for (const event of events) {
    if (event.fraction === undefined) continue;
    expect(event.fraction).toBeGreaterThanOrEqual(lastFraction);
    expect(event.fraction).toBeLessThanOrEqual(1);
    lastFraction = event.fraction;
  }
  const last = events.at(-1)!;
  expect(last).toMatchObject({ loadedBytes: totalBytes, totalBytes, fraction: 1 });
}

describe('loadModel from a URL', () => {
  it('reads a Keras layers model (nsfwjs MobileNetV2) into what loadLayersModel gives for the same bytes', async () => {
    const loaded = await loadModel(`${server.url}layers/model.json`);
    expect(loaded.format).toBe('layers-model');
    expect(loaded.spec).toEqual(expectedLayers.spec);
    expectSameWeights(loaded.weights, expectedLayers.weights);
    expect(loaded.modelJson).toEqual(JSON.parse(readFileSync(`${files.layers.dir}/model.json`, 'utf8')));
    expect(server.requests).toEqual(['/layers/model.json', '/layers/group1-shard1of1']);
  });

  it('reads a graph model from two shards, in manifest order, into what loadGraphModel gives', async () => {
    const loaded = await loadModel(new URL('tiny-graph/model.json', server.url));
    expect(loaded.format).toBe('graph-model');
    expect(loaded.spec).toEqual(expectedTinyGraph.spec);
    expectSameWeights(loaded.weights, expectedTinyGraph.weights);
    expect(server.requests.slice(1).sort()).toEqual(['/tiny-graph/group1-shard1of2.bin', '/tiny-graph/group1-shard2of2.bin']);
  });

  it('gives for nsfwjs’s two-shard graph model exactly what loadGraphModel gives for its bytes (model or error)', async () => {
    const direct = await outcome(() => loadGraphModel(files.graph.modelJson, files.graph.weightData));
    const viaUrl = await outcome(() => loadModel(`${server.url}graph/model.json`));
    if ('value' in direct && 'value' in viaUrl) {
      expect(viaUrl.value.spec).toEqual(direct.value.spec);
      expectSameWeights(viaUrl.value.weights, direct.value.weights);
    } else {
      expect(viaUrl).toEqual(direct);
    }
    expect(server.requests.slice(1).sort()).toEqual(['/graph/group1-shard1of2', '/graph/group1-shard2of2']);
  });

  it('reports progress: bytes only grow, the total comes from model.json, the last report is the total', async () => {
    const { events, onProgress } = recorder();
    await loadModel(`${server.url}layers/model.json`, { onProgress });
    expectWellFormedProgress(events, files.layers.totalBytes);
    const modelJsonUrl = `${server.url}layers/model.json`;
    const shardUrl = `${server.url}layers/group1-shard1of1`;
    expect(events.filter((e) => e.file === modelJsonUrl).every((e) => e.totalBytes === undefined)).toBe(true);
    const shardEvents = events.filter((e) => e.file === shardUrl);
    // Streamed: a 3.5 MB shard arrives in many chunks, each with the Content-Length as the file's size.
    expect(shardEvents.length).toBeGreaterThan(2);
    expect(shardEvents.every((e) => e.totalBytes === files.layers.totalBytes && e.fileTotalBytes === files.layers.weightData.byteLength)).toBe(true);
    expect(shardEvents.at(-1)!.fileLoadedBytes).toBe(files.layers.weightData.byteLength);
  });

  it('knows the total without Content-Length (chunked responses): model.json size + the manifest’s weight bytes', async () => {
    const chunked = await startStaticServer(files.root, { chunked: true });
    try {
      const { events, onProgress } = recorder();
      const loaded = await loadModel(`${chunked.url}tiny-graph/model.json`, { onProgress });
      expect(loaded.spec).toEqual(expectedTinyGraph.spec);
      expectWellFormedProgress(events, files.tinyGraph.totalBytes);
      expect(events.every((e) => e.fileTotalBytes === undefined)).toBe(true);
    } finally {
      await chunked.close();
    }
  });

  it('a 404 on model.json is a ModelFileError naming the URL and the status', async () => {
    const url = `${server.url}missing/model.json`;
    const error = await loadModel(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error).toBeInstanceOf(SepconvError);
    expect(error).toMatchObject({ status: 404, file: url, op: 'loadModel', argument: 'source' });
    expect((error as Error).message).toBe(`loadModel: GET ${url} failed: 404 Not Found`);
  });

  it('a 404 on a shard is a ModelFileError naming the shard’s URL and manifest entry, and cancels the other shard’s fetch', async () => {
    const broken = {
      ...files.tinyGraph.modelJson,
      weightsManifest: [{ ...files.tinyGraph.modelJson.weightsManifest[0]!, paths: ['group1-shard1of2.bin', 'no-such-shard.bin'] }],
    };
    writeFileSync(`${files.tinyGraph.dir}/broken.json`, JSON.stringify(broken));
    const stalling = await startStaticServer(files.root, { stall: { path: '/tiny-graph/group1-shard1of2.bin', afterBytes: 10 } });
    try {
      const error = await loadModel(`${stalling.url}tiny-graph/broken.json`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelFileError);
      expect(error).toMatchObject({
        status: 404,
        file: `${stalling.url}tiny-graph/no-such-shard.bin`,
        argument: 'modelJson.weightsManifest[0].paths[1]',
      });
      await within(stalling.stalledClosed, 5000, 'the stalled shard’s connection to close');
    } finally {
      await stalling.close();
    }
  });

  it('a network failure is a ModelFileError naming the URL, without a status', async () => {
    const closed = await startStaticServer(files.root);
    const url = `${closed.url}layers/model.json`;
    await closed.close();
    const error = await loadModel(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error).toMatchObject({ file: url, status: undefined });
    expect((error as Error).message).toMatch(new RegExp(`^loadModel: GET ${url.replace(/[.]/g, '\\.')} failed: .*ECONNREFUSED`));
  });

  it('uses options.fetch when given', async () => {
    const seen: string[] = [];
    const loaded = await loadModel(`${server.url}layers/model.json`, {
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    expect(loaded.spec).toEqual(expectedLayers.spec);
    expect(seen).toEqual([`${server.url}layers/model.json`, `${server.url}layers/group1-shard1of1`]);
  });
});

describe('loadModel aborted', () => {
  it('mid-download: rejects with LoadAbortedError carrying the reason, and the stalled fetch’s connection is closed', async () => {
    const stalling = await startStaticServer(files.root, { stall: { path: '/tiny-graph/group1-shard2of2.bin', afterBytes: 100 } });
    try {
      const controller = new AbortController();
      const reason = new Error('user cancelled');
      const load = loadModel(`${stalling.url}tiny-graph/model.json`, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.file.endsWith('group1-shard2of2.bin')) controller.abort(reason);
        },
      });
      const error = await load.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LoadAbortedError);
      expect(error).toBeInstanceOf(SepconvError);
      expect(error).toMatchObject({ op: 'loadModel', argument: 'options.signal', reason, cause: reason });
      await within(stalling.stalledClosed, 5000, 'the stalled fetch’s connection to close');
    } finally {
      await stalling.close();
    }
  });

  it('while the server says nothing at all (no bytes, no progress): the signal alone ends the wait', async () => {
    const stalling = await startStaticServer(files.root, { stall: { path: '/layers/group1-shard1of1', afterBytes: 0 } });
    try {
      const controller = new AbortController();
      void stalling.stalledOpened.then(() => setTimeout(() => controller.abort(), 50));
      const error = await loadModel(`${stalling.url}layers/model.json`, { signal: controller.signal }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LoadAbortedError);
      expect((error as LoadAbortedError).reason).toMatchObject({ name: 'AbortError' });
      await within(stalling.stalledClosed, 5000, 'the stalled fetch’s connection to close');
    } finally {
      await stalling.close();
    }
  });

  it('before it starts: rejects without a request', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(loadModel(`${server.url}layers/model.json`, { signal: controller.signal })).rejects.toBeInstanceOf(LoadAbortedError);
    expect(server.requests).toEqual([]);
  });

  it('an error thrown by onProgress ends the load with that error', async () => {
    const mine = new Error('progress bar broke');
    await expect(
      loadModel(`${server.url}layers/model.json`, {
        onProgress: () => {
          throw mine;
        },
      }),
    ).rejects.toBe(mine);
  });
});

describe('loadModel from a file path (Node)', () => {
  it('reads model.json and its shards from disk: relative path, absolute path and file: URL', async () => {
    const absolute = `${files.layers.dir}/model.json`;
    for (const source of [absolute, relative(process.cwd(), absolute), pathToFileURL(absolute), pathToFileURL(absolute).href]) {
      const { events, onProgress } = recorder();
      const loaded = await loadModel(source, { onProgress });
      expect(loaded.spec).toEqual(expectedLayers.spec);
      expectSameWeights(loaded.weights, expectedLayers.weights);
      expectWellFormedProgress(events, files.layers.totalBytes);
      expect(events[0]!.file).toBe(absolute);
    }
  });

  it('a missing file is a ModelFileError naming the path', async () => {
    const path = `${files.root}/nowhere/model.json`;
    const error = await loadModel(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error).toMatchObject({ file: path, argument: 'source' });
    expect((error as Error).message).toContain('ENOENT');
  });

  it('aborts between chunks', async () => {
    const controller = new AbortController();
    const error = await loadModel(`${files.layers.dir}/model.json`, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.file.endsWith('group1-shard1of1')) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadAbortedError);
  });
});

describe('loadModel from files in memory', () => {
  const { layers, tinyGraph } = files;

  it('{ modelJson: object, weights: Uint8Array }, and modelJson as text with weights as an ArrayBuffer', async () => {
    for (const source of [
      { modelJson: layers.modelJson, weights: layers.weightData },
      { modelJson: JSON.stringify(layers.modelJson), weights: layers.weightData.slice().buffer },
      { modelJson: new TextEncoder().encode(JSON.stringify(layers.modelJson)), weights: layers.weightData },
    ]) {
      const loaded = await loadModel(source);
      expect(loaded.format).toBe('layers-model');
      expect(loaded.spec).toEqual(expectedLayers.spec);
      expectSameWeights(loaded.weights, expectedLayers.weights);
    }
  });

  it('weights as a record of shard path → bytes, joined in manifest order whatever the record’s order', async () => {
    const shards = {
      'group1-shard2of2.bin': tinyGraph.shards['group1-shard2of2.bin']!,
      'group1-shard1of2.bin': tinyGraph.shards['group1-shard1of2.bin']!,
    };
    const { events, onProgress } = recorder();
    const loaded = await loadModel({ modelJson: tinyGraph.modelJson, weights: shards }, { onProgress });
    expect(loaded.spec).toEqual(expectedTinyGraph.spec);
    expectSameWeights(loaded.weights, expectedTinyGraph.weights);
    expect(events.at(-1)).toMatchObject({ fraction: 1, loadedBytes: tinyGraph.weightData.byteLength });
  });

  it('a record without a shard the manifest names is a ValueError listing it', async () => {
    const error = await loadModel({
      modelJson: tinyGraph.modelJson,
      weights: { 'group1-shard1of2.bin': tinyGraph.shards['group1-shard1of2.bin']! },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValueError);
    expect((error as Error).message).toContain("'group1-shard2of2.bin'");
  });

  it('a File[] (as from <input type="file" multiple>): model.json found by name, shards by file name', async () => {
    const asFiles = (names: Record<string, string>) =>
      Object.entries(names).map(([as, path]) => new File([readFileSync(`${tinyGraph.dir}/${path}`)], as));
    const picked = asFiles({
      'group1-shard2of2.bin': 'group1-shard2of2.bin',
      'model.json': 'model.json',
      'group1-shard1of2.bin': 'group1-shard1of2.bin',
      'notes.txt': 'model.json',
    });
    const { events, onProgress } = recorder();
    const loaded = await loadModel(picked, { onProgress });
    expect(loaded.spec).toEqual(expectedTinyGraph.spec);
    expectSameWeights(loaded.weights, expectedTinyGraph.weights);
    expectWellFormedProgress(events, tinyGraph.totalBytes);
    // Any single .json file is the model.json when none has that name.
    const renamed = asFiles({
      'mobilenet.json': 'model.json',
      'group1-shard1of2.bin': 'group1-shard1of2.bin',
      'group1-shard2of2.bin': 'group1-shard2of2.bin',
    });
    expect((await loadModel(renamed)).spec).toEqual(expectedTinyGraph.spec);
    const missing = await loadModel(asFiles({ 'model.json': 'model.json', 'group1-shard1of2.bin': 'group1-shard1of2.bin' })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ValueError);
    expect((missing as Error).message).toContain("'group1-shard2of2.bin'");
    const twoJson = await loadModel(asFiles({ 'a.json': 'model.json', 'b.json': 'model.json' })).catch((e: unknown) => e);
    expect(twoJson).toBeInstanceOf(ValueError);
    expect((twoJson as Error).message).toContain('cannot tell which file is the model');
  });
});

describe('loadModel detects the format', () => {
  const { layers, tinyGraph } = files;
  const withoutFormat = (json: Record<string, unknown>) => Object.fromEntries(Object.entries(json).filter(([key]) => key !== 'format'));

  it('from the format field, else from modelTopology (model_config → layers, node → graph)', async () => {
    expect((await loadModel({ modelJson: { ...layers.modelJson, format: 'layers-model' }, weights: layers.weightData })).format).toBe('layers-model');
    expect(layers.modelJson.format).toBeUndefined();
    expect((await loadModel({ modelJson: layers.modelJson, weights: layers.weightData })).format).toBe('layers-model');
    expect(tinyGraph.modelJson.format).toBe('graph-model');
    const graph = await loadModel({ modelJson: withoutFormat(tinyGraph.modelJson), weights: tinyGraph.weightData });
    expect(graph.format).toBe('graph-model');
    expect(graph.spec).toEqual(expectedTinyGraph.spec);
    // A Keras topology without model_config (class_name at the top) is a layers model too.
    const bare = { ...layers.modelJson, modelTopology: (layers.modelJson.modelTopology as { model_config: unknown }).model_config };
    expect((await loadModel({ modelJson: bare, weights: layers.weightData })).format).toBe('layers-model');
  });

  it('ONNX by URL, file path, bytes and File: what loadOnnxModel gives, with inputShape / batch / inputLayout passed on', async () => {
    const onnx = onnxMobileNetV2({ opset: 13, alpha: 0.35, resolution: 64, inputDims: ['batch', 3, 'height', 'width'] });
    const path = `${files.root}/mobilenet_v2.onnx`;
    writeFileSync(path, onnx);
    const expected = loadOnnxModel(onnx, { resolution: 64, inputLayout: 'nchw' });
    const options = { inputShape: [1, 64, 64, 3], inputLayout: 'nchw' } as const;
    const sources = [
      `${server.url}mobilenet_v2.onnx`,
      path,
      onnx,
      onnx.buffer,
      [new File([onnx as Uint8Array<ArrayBuffer>], 'model.onnx')],
      { modelJson: onnx },
    ];
    for (const source of sources) {
      const loaded = await loadModel(source as Parameters<typeof loadModel>[0], options);
      expect(loaded.format).toBe('onnx');
      expect(loaded.spec).toEqual(expected.spec);
      expectSameWeights(loaded.weights, expected.weights);
    }
    expect((await loadModel(onnx, { batch: 4, inputShape: [2, 64, 64, 3] })).spec.inputs[0]!.shape).toEqual([4, 64, 64, 3]);
    await expect(loadModel(onnx)).rejects.toThrow(/symbolic height 'height': pass options\.resolution/);
    await expect(loadModel(onnx, { inputShape: [1, 64, 64, 4] })).rejects.toThrow(/options\.inputShape has 4 channels, but the model's input has 3/);
    await expect(loadModel(onnx.subarray(0, 100))).rejects.toBeInstanceOf(ValueError);
    await expect(loadModel({ modelJson: layers.modelJson, weights: layers.weightData }, { format: 'onnx' })).rejects.toThrow(
      /given as parsed JSON; an ONNX model is the bytes/,
    );
    await expect(loadModel({ modelJson: layers.modelJson, weights: layers.weightData }, { inputLayout: 'nchw' })).rejects.toBeInstanceOf(
      UnsupportedError,
    );
  });

  it('refuses what is not a model, saying what it is', async () => {
    const cases: [unknown, RegExp][] = [
      [new TextEncoder().encode('<!doctype html><title>Not found</title>'), /is HTML or XML, not a model file/],
      [new TextEncoder().encode('{"modelTopology": '), /is not valid JSON/],
      [new Uint8Array(0), /is empty/],
      [{ modelJson: faceApiSsdMobileNetV1().manifest }, /weights manifest without a model topology: read it with readWeights/],
      [{ modelJson: { modelTopology: { layers: [] } } }, /cannot tell the format of model\.json/],
      [{ modelJson: null }, /must be a model\.json object, got null/],
    ];
    for (const [source, message] of cases) {
      const error = await loadModel(source as never).catch((e: unknown) => e);
      expect(error, String(message)).toBeInstanceOf(ValueError);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('loadModel refuses bad arguments with typed errors', () => {
  const { layers, tinyGraph } = files;

  it('a source of no accepted form, and options of the wrong type', async () => {
    for (const source of [42, undefined, {}, [], [1, 2], '']) {
      const error = await loadModel(source as never).catch((e: unknown) => e);
      expect(error, String(source)).toBeInstanceOf(ValueError);
      expect(error).toMatchObject({ op: 'loadModel', argument: 'source' });
    }
    const valid = { modelJson: layers.modelJson, weights: layers.weightData };
    for (const [options, argument] of [
      [{ onProgress: 'yes' }, 'options.onProgress'],
      [{ fetch: {} }, 'options.fetch'],
      [{ signal: { aborted: 'no' } }, 'options.signal'],
      [{ format: 'toString' }, 'options.format'],
      [null, 'options'],
    ] as const) {
      await expect(loadModel(valid, options as never)).rejects.toMatchObject({ name: 'ValueError', argument });
    }
  });

  it('a shard path that is absolute or a URL (a model file must not send the load elsewhere)', async () => {
    for (const path of ['/etc/passwd', 'https://example.com/shard.bin', 'file:///etc/passwd']) {
      const modelJson = {
        ...tinyGraph.modelJson,
        weightsManifest: [{ ...tinyGraph.modelJson.weightsManifest[0]!, paths: ['group1-shard1of2.bin', path] }],
      };
      writeFileSync(`${tinyGraph.dir}/escape.json`, JSON.stringify(modelJson));
      for (const source of [`${server.url}tiny-graph/escape.json`, `${tinyGraph.dir}/escape.json`]) {
        const error = await loadModel(source).catch((e: unknown) => e);
        expect(error, `${path} via ${source}`).toBeInstanceOf(ValueError);
        expect(error).toMatchObject({ argument: 'modelJson.weightsManifest[0].paths[1]' });
      }
    }
    expect(server.requests).not.toContain('/etc/passwd');
  });

  it('an option the format does not take: inputShape for a layers model, batch for a graph model', async () => {
    await expect(loadModel({ modelJson: layers.modelJson, weights: layers.weightData }, { inputShape: [1, 224, 224, 3] })).rejects.toMatchObject({
      name: 'UnsupportedError',
      argument: 'options.inputShape',
    });
    await expect(loadModel({ modelJson: tinyGraph.modelJson, weights: tinyGraph.weightData }, { batch: 2 })).rejects.toMatchObject({
      name: 'UnsupportedError',
      argument: 'options.batch',
    });
  });

  it('passes inputShape and batch to the readers that take them', async () => {
    const graph = await loadModel({ modelJson: tinyGraph.modelJson, weights: tinyGraph.weightData }, { inputShape: [2, 32, 32, 3] });
    expect(graph.spec).toEqual(loadGraphModel(tinyGraph.modelJson, tinyGraph.weightData, { inputShape: [2, 32, 32, 3] }).spec);
    const keras = await loadModel({ modelJson: layers.modelJson, weights: layers.weightData }, { batch: 3 });
    expect(keras.spec.inputs[0]!.shape).toEqual([3, 224, 224, 3]);
  });
});
