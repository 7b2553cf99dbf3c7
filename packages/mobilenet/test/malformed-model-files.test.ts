// Every reader against model files damaged on purpose: each value of a real Keras topology
// (nsfwjs's MobileNetV2), of a converter-style graph model and of their weights manifests is
// replaced, one at a time, by something a corrupt or hostile file could hold — a missing
// key, null, a number out of range, a string such as 'toString', an object, an array nested
// 10,000 deep. Each damaged file must load or throw a SepconvError with a short message:
// never a TypeError, a RangeError from a stack overflow, or a hang.
import { SepconvError, ShapeError, UnsupportedError, ValueError } from '@sepconv/tensor';
import { describe, expect, it } from 'vitest';
import { checkWeightsManifest } from '../src/weights/decode-weights.js';
import { kerasModelSpec } from '../src/weights/keras-model-spec.js';
import { loadGraphModel } from '../src/weights/load-graph-model.js';
import { loadLayersModel } from '../src/weights/load-layers-model.js';
import { readWeights } from '../src/weights/read-weights.js';
import { nsfwjsMobileNetV2 } from './support/real-models.js';
import { tinyMobileNetGraph } from './support/tiny-graph-model.js';

type Path = readonly (string | number)[];

const REMOVED = Symbol('removed');

/** `[[[…[0]…]]]`, `depth` arrays deep, built without recursion. */
function nested(depth: number): unknown[] {
  let value: unknown[] = [0];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

const DEEP = nested(10_000);

/** What a damaged file may hold in place of any value. */
const DAMAGE: readonly unknown[] = [
  REMOVED,
  null,
  -1,
  0,
  2.5,
  1e300,
  'toString',
  'constructor',
  '',
  '%%not base64%%',
  true,
  {},
  [],
  [1e300, 1e300, 0],
  DEEP,
];

/** Every path from `root` to a value inside it (objects and arrays walked, iteratively). */
function allPaths(root: unknown): Path[] {
  const paths: Path[] = [];
  const stack: [unknown, Path][] = [[root, []]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (path.length > 0) paths.push(path);
    if (Array.isArray(value)) value.forEach((item, i) => stack.push([item, [...path, i]]));
    else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) stack.push([item, [...path, key]]);
  }
  return paths;
}

/** `root` with the value at `path` replaced by `damage` (or removed): the containers on the path are copied, the rest shared. */
function damaged(root: unknown, path: Path, damage: unknown): unknown {
  const copy = (value: unknown): Record<string | number, unknown> =>
    (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  const top = copy(root);
  let parent = top;
  for (const key of path.slice(0, -1)) {
    parent[key] = copy(parent[key]);
    parent = parent[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (damage !== REMOVED) parent[last] = damage;
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return top;
}

/** Runs `load` on every damaged copy; returns the failures that were not short SepconvErrors. */
function sweep(root: unknown, paths: readonly Path[], load: (file: unknown) => unknown): string[] {
  const failures: string[] = [];
  for (const path of paths) {
    for (const damage of DAMAGE) {
      try {
        load(damaged(root, path, damage));
      } catch (error) {
        const what = `${path.join('.')} = ${damage === DEEP ? 'nested(10000)' : damage === REMOVED ? '(removed)' : JSON.stringify(damage)}`;
        if (!(error instanceof SepconvError)) failures.push(`${what}: ${String(error)}`);
        else if (error.message.length > 600) failures.push(`${what}: a message of ${error.message.length} characters`);
      }
    }
  }
  return failures;
}

describe('readers refuse damaged files with typed errors', () => {
  it('kerasModelSpec: every value of one layer of each class of a real MobileNetV2 topology', () => {
    const { modelJson } = nsfwjsMobileNetV2();
    const topology = modelJson.modelTopology as { model_config: { config: { layers: { class_name: string }[] } } };
    const layers = topology.model_config.config.layers;
    const firstOfClass = new Map<string, number>();
    layers.forEach((layer, i) => firstOfClass.set(layer.class_name, firstOfClass.get(layer.class_name) ?? i));
    expect(firstOfClass.size).toBeGreaterThanOrEqual(8);
    const paths = [...firstOfClass.values()].flatMap((i) =>
      allPaths(layers[i]).map((path) => ['model_config', 'config', 'layers', i, ...path] as Path),
    );
    paths.push(['model_config'], ['model_config', 'config'], ['model_config', 'config', 'layers'], ['model_config', 'class_name']);
    expect(sweep(topology, paths, (file) => kerasModelSpec(file))).toEqual([]);
  });

  it('loadGraphModel: every value of a converter-style graph model.json', () => {
    const { modelJson, weightData } = tinyMobileNetGraph();
    expect(sweep(modelJson, allPaths(modelJson), (file) => loadGraphModel(file, weightData))).toEqual([]);
  });

  it('readWeights / loadLayersModel: every value of a weights manifest', () => {
    const { modelJson, weightData } = tinyMobileNetGraph();
    const manifest = modelJson.weightsManifest;
    expect(sweep(manifest, allPaths(manifest), (file) => readWeights(file, weightData))).toEqual([]);
    const { modelJson: keras } = nsfwjsMobileNetV2();
    const layersFile = { modelTopology: keras.modelTopology, weightsManifest: manifest };
    const paths = allPaths(manifest).map((path) => ['weightsManifest', ...path] as Path);
    expect(sweep(layersFile, paths.slice(0, 40), (file) => loadLayersModel(file, weightData))).toEqual([]);
  });
});

describe('the manifest is checked entry by entry, naming the file part', () => {
  const group = (weights: unknown[]) => [{ paths: ['group1-shard1of1.bin'], weights }];

  it("dtypes come from an allow-list, not from an object's prototype ('toString', 'constructor', 'valueOf')", () => {
    for (const dtype of ['toString', 'constructor', 'valueOf', '__proto__', 'hasOwnProperty']) {
      const weights = [
        { name: 'a', shape: [1], dtype: 'float32' },
        { name: 'b', shape: [1], dtype },
      ];
      expect(() => checkWeightsManifest('readWeights', group(weights)), dtype).toThrow(UnsupportedError);
      expect(() => checkWeightsManifest('readWeights', group(weights)), dtype).toThrow(
        `readWeights: weightsManifest[0].weights[1].dtype (weight 'b') must be one of 'float32', 'int32', got '${dtype}'`,
      );
      const quantized = [{ name: 'q', shape: [1], dtype: 'float32', quantization: { dtype, min: 0, scale: 1 } }];
      expect(() => checkWeightsManifest('readWeights', group(quantized)), dtype).toThrow(
        `readWeights: weightsManifest[0].weights[0].quantization.dtype (weight 'q') must be one of 'uint8', 'uint16', 'float16', got '${dtype}'`,
      );
    }
  });

  it('names the path under modelJson for the model readers', () => {
    const { modelJson, weightData } = tinyMobileNetGraph();
    (modelJson.weightsManifest[0]!.weights[3] as { dtype: string }).dtype = 'toString';
    expect(() => loadGraphModel(modelJson, weightData)).toThrow(
      /^loadGraphModel: modelJson\.weightsManifest\[0\]\.weights\[3\]\.dtype \(weight 'dw1\/weights'\) must be one of 'float32', 'int32', got 'toString'$/,
    );
  });

  it('a shape whose product is NaN ([1e300, 1e300, 0]) or past the element limit is a ShapeError', () => {
    for (const shape of [
      [1e300, 1e300, 0],
      [2 ** 40, 2 ** 40, 0],
      [65536, 65536],
    ]) {
      expect(() => checkWeightsManifest('readWeights', group([{ name: 'w', shape, dtype: 'float32' }])), String(shape)).toThrow(ShapeError);
    }
    expect(() => checkWeightsManifest('readWeights', group([{ name: 'w', shape: [2 ** 40, 2 ** 40, 0], dtype: 'float32' }]))).toThrow(
      /^readWeights: weightsManifest\[0\]\.weights\[0\]\.shape \(weight 'w'\) \[1099511627776, 1099511627776, 0\] has more elements/,
    );
  });

  it('a deeply nested value is described in a few characters, not embedded or overflowing the stack', () => {
    const error = (() => {
      try {
        checkWeightsManifest('readWeights', group([{ name: 'w', shape: [1], dtype: 'float32', quantization: DEEP }]));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ValueError);
    expect(error!.message).toBe(
      "readWeights: weightsManifest[0].weights[0].quantization (weight 'w') must be { dtype: 'uint8' | 'uint16' | 'float16', min?, scale? }, got [[…]]",
    );
  });
});

describe('weight data', () => {
  it('takes an ArrayBuffer, a Uint8Array, any typed array or a DataView over the same bytes', () => {
    const { modelJson, weightData } = tinyMobileNetGraph();
    const expected = loadGraphModel(modelJson, weightData).weights.get('conv0/kernel')!.data;
    const copy = weightData.slice();
    const offset = new Uint8Array(copy.byteLength + 8);
    offset.set(copy, 8);
    for (const data of [copy.buffer, new Float32Array(copy.buffer), new DataView(copy.buffer), offset.subarray(8)]) {
      expect(loadGraphModel(modelJson, data).weights.get('conv0/kernel')!.data).toEqual(expected);
      expect(readWeights(modelJson.weightsManifest, data).size).toBe(modelJson.weightsManifest[0]!.weights.length);
    }
  });

  it('refuses anything else with a ValueError naming weightData', () => {
    const { modelJson, weightData } = tinyMobileNetGraph();
    for (const data of [Array.from(weightData), 'AAAA', null, {}, 12]) {
      for (const load of [() => loadGraphModel(modelJson, data as never), () => readWeights(modelJson.weightsManifest, data as never)]) {
        let thrown: unknown;
        try {
          load();
        } catch (error) {
          thrown = error;
        }
        expect(thrown, JSON.stringify(data)?.slice(0, 20)).toBeInstanceOf(ValueError);
        expect((thrown as ValueError).argument).toBe('weightData');
        expect((thrown as ValueError).message).toMatch(
          /weightData must be an ArrayBuffer or an ArrayBufferView \(Uint8Array, any typed array, DataView\), got /,
        );
      }
    }
  });
});

describe('graph attributes', () => {
  it('a string attribute that is not base64 is a ValueError naming the node and attribute', () => {
    const { modelJson, weightData } = tinyMobileNetGraph();
    const conv0 = modelJson.modelTopology.node.find((n) => n.name === 'conv0')!;
    (conv0.attr!.padding as { s: string }).s = '%%not base64%%';
    expect(() => loadGraphModel(modelJson, weightData)).toThrow(ValueError);
    expect(() => loadGraphModel(modelJson, weightData)).toThrow(
      /^loadGraphModel: node 'conv0': attr\.padding\.s must be base64, got '%%not base64%%'$/,
    );
  });

  it('an unknown padding is refused, not read as VALID', () => {
    const { modelJson, weightData } = tinyMobileNetGraph();
    const conv0 = modelJson.modelTopology.node.find((n) => n.name === 'dw1')!;
    (conv0.attr!.padding as { s: string }).s = btoa('FULL');
    expect(() => loadGraphModel(modelJson, weightData)).toThrow(
      /^loadGraphModel: node 'dw1': padding must be 'SAME', 'VALID' or 'EXPLICIT', got 'FULL'$/,
    );
  });
});
