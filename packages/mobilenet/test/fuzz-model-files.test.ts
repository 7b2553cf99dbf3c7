// Random structural damage to real model files through every reader (fast-check): keys deleted,
// values replaced by hostile ones (prototype keys, NaN, huge numbers, deep nesting) or by a value
// of another type, array entries (nodes, layers, weights) duplicated, random bytes written into
// the weight data, the data truncated or extended — several at once. Each damaged file must load
// or throw a SepconvError with a short message, within a time bound, and pollute no prototype.
// malformed-model-files.test.ts damages one value at a time, exhaustively; this explores
// combinations. A small budget by default; SEPCONV_FUZZ_RUNS=N for a longer run
// (CONTRIBUTING.md, "Fuzzing"), SEPCONV_FUZZ_SEED to replay a failure.
import { fuzzParameters } from '@sepconv/conformance';
import { SepconvError } from '@sepconv/tensor';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGraphModel } from '../src/weights/load-graph-model.js';
import { loadLayersModel } from '../src/weights/load-layers-model.js';
import { readWeights } from '../src/weights/read-weights.js';
import { tfSlimMobileNetV1 } from '../src/weights/tf-slim-mobilenet-v1.js';
import { faceApiSsdMobileNetV1, nsfwjsMobileNetV2 } from './support/real-models.js';
import { tinyMobileNetGraph } from './support/tiny-graph-model.js';

/** A load of a damaged file must end within this, loaded or refused (generous: the machines are shared). */
const TIME_BOUND_MS = 5_000;
const MAX_MESSAGE = 600;

type Container = Record<string | number, unknown>;
type Path = readonly (string | number)[];

/** Paths go no deeper than model files do: a hostile 10,000-deep value is damage, not a place to damage (its paths alone would take gigabytes). */
const MAX_PATH_DEPTH = 32;

/** Every path to a value inside `root` down to {@link MAX_PATH_DEPTH}, walked iteratively. */
function allPaths(root: unknown): Path[] {
  const paths: Path[] = [];
  const stack: [unknown, Path][] = [[root, []]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (path.length > 0) paths.push(path);
    if (typeof value === 'object' && value !== null && path.length < MAX_PATH_DEPTH)
      for (const [key, item] of Object.entries(value)) stack.push([item, [...path, Array.isArray(value) ? Number(key) : key]]);
  }
  return paths;
}

function parentOf(root: unknown, path: Path): Container {
  let parent = root as Container;
  for (const key of path.slice(0, -1)) parent = parent[key] as Container;
  return parent;
}

function nested(depth: number): unknown[] {
  let value: unknown[] = [0];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** A value to write into a file: `make` builds a fresh one each time, so no two places (or runs) share an object. */
interface Hostile {
  readonly name: string;
  make(): unknown;
}

/** Values a hostile or corrupt file may hold. `__proto__` as an own key is what JSON.parse gives. */
const HOSTILE: readonly Hostile[] = [
  ...[
    null,
    NaN,
    Infinity,
    -Infinity,
    -0,
    -1,
    0.5,
    1e300,
    2 ** 31,
    2 ** 53 + 2,
    '',
    'toString',
    'constructor',
    '__proto__',
    'hasOwnProperty',
    '%%not base64%%',
    true,
  ].map((constant): Hostile => ({ name: String(constant), make: () => constant })),
  {
    name: 'own __proto__ and constructor keys',
    make: () => JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}') as unknown,
  },
  { name: 'nested(10000)', make: () => nested(10_000) },
];

const hostileValue: fc.Arbitrary<Hostile> = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.jsonValue({ maxDepth: 3 }).map((json): Hostile => ({ name: JSON.stringify(json), make: () => structuredClone(json) })),
  fc.string({ maxLength: 12 }).map((text): Hostile => ({ name: JSON.stringify(text), make: () => text })),
);

/**
 * A deep copy of a JSON-like value, iterative (structuredClone recurses, and overflows the stack
 * on the 10,000-deep values this test writes); own `__proto__` keys stay own keys.
 */
function copyJson(root: unknown): unknown {
  const top: Container = {};
  const stack: [unknown, Container, string | number][] = [[root, top, 'value']];
  while (stack.length > 0) {
    const [value, target, key] = stack.pop()!;
    const isObject = typeof value === 'object' && value !== null;
    const copy = !isObject ? value : Array.isArray(value) ? [] : {};
    Object.defineProperty(target, key, { value: copy, enumerable: true, writable: true, configurable: true });
    if (isObject) for (const [name, item] of Object.entries(value)) stack.push([item, copy as Container, Array.isArray(value) ? Number(name) : name]);
  }
  return top.value;
}

/** A value of another type than `value`, built from it (a number as a string, an array as a record, …). */
function swapType(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value === '' ? 0 : [value];
  if (typeof value === 'boolean') return Number(value);
  if (Array.isArray(value)) return { ...value };
  if (typeof value === 'object' && value !== null) return Object.values(value);
  return {};
}

type Mutation =
  | { readonly kind: 'delete' | 'swapType' | 'duplicate'; readonly at: number }
  | { readonly kind: 'replace'; readonly at: number; readonly value: Hostile };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'swapType' as const, 'duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }),
);

/** Applies `m` in place to `root` at its `at`-th path (modulo the number of paths, which change as mutations apply). */
function mutate(root: unknown, m: Mutation): void {
  const paths = allPaths(root);
  if (paths.length === 0) return;
  const path = paths[m.at % paths.length]!;
  const parent = parentOf(root, path);
  const key = path[path.length - 1]!;
  if (m.kind === 'replace') parent[key] = m.value.make();
  else if (m.kind === 'swapType') parent[key] = swapType(parent[key]);
  else if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (Array.isArray(parent)) {
    // A duplicated entry: a node, a layer, a weight, a dimension twice.
    parent.splice(key as number, 0, copyJson(parent[key]));
  }
}

type DataMutation =
  | { readonly kind: 'none' }
  | { readonly kind: 'bytes'; readonly edits: readonly { readonly at: number; readonly byte: number }[] }
  | { readonly kind: 'truncate'; readonly keep: number }
  | { readonly kind: 'extend'; readonly extra: number };

const dataMutation: fc.Arbitrary<DataMutation> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({
    kind: fc.constant('bytes' as const),
    edits: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 32 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), extra: fc.integer({ min: 1, max: 64 }) }),
);

function mutateData(data: Uint8Array, m: DataMutation): Uint8Array {
  switch (m.kind) {
    case 'none':
      return data;
    case 'bytes': {
      const copy = data.slice();
      for (const { at, byte } of m.edits) copy[at % copy.length] = byte;
      return copy;
    }
    case 'truncate':
      return data.slice(0, m.keep % data.length);
    case 'extend': {
      const longer = new Uint8Array(data.length + m.extra);
      longer.set(data);
      return longer;
    }
  }
}

const damage = fc.record({ mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }), data: dataMutation });

/** Loads a damaged copy of `file`; any failure other than a short SepconvError in time fails the property. */
function loadsOrRefuses(file: { modelJson: unknown; weightData: Uint8Array }, load: (modelJson: unknown, weightData: Uint8Array) => unknown) {
  return ({ mutations, data }: { mutations: readonly Mutation[]; data: DataMutation }): void => {
    const modelJson = structuredClone(file.modelJson);
    for (const m of mutations) mutate(modelJson, m);
    const weightData = mutateData(file.weightData, data);
    const start = performance.now();
    try {
      load(modelJson, weightData);
    } catch (error) {
      if (!(error instanceof SepconvError)) throw new Error(`not a SepconvError: ${String(error)}`, { cause: error });
      expect(error.message.length, error.message.slice(0, 200)).toBeLessThanOrEqual(MAX_MESSAGE);
    } finally {
      expect(performance.now() - start, 'milliseconds to load or refuse').toBeLessThan(TIME_BOUND_MS);
    }
  };
}

const settings = fuzzParameters(40);

describe(`readers under random structural damage (${settings.numRuns} damaged files each)`, () => {
  afterAll(() => {
    expect(({} as { polluted?: unknown }).polluted, 'Object.prototype polluted').toBeUndefined();
  });

  it('loadLayersModel: a real Keras MobileNetV2 (nsfwjs), topology, manifest and weight data', () => {
    const file = nsfwjsMobileNetV2();
    fc.assert(
      fc.property(
        damage,
        loadsOrRefuses(file, (modelJson, weightData) => loadLayersModel(modelJson, weightData)),
      ),
      settings,
    );
  }, 600_000);

  it('loadGraphModel: a converter-style graph model (nodes, attributes, manifest, weight data)', () => {
    const file = tinyMobileNetGraph();
    fc.assert(
      fc.property(
        damage,
        loadsOrRefuses(file, (modelJson, weightData) => loadGraphModel(modelJson, weightData)),
      ),
      settings,
    );
  }, 600_000);

  it("readWeights + tfSlimMobileNetV1: face-api's SSD MobileNetV1 manifest and weights", () => {
    const { manifest, weightData } = faceApiSsdMobileNetV1();
    const file = { modelJson: manifest, weightData };
    fc.assert(
      fc.property(
        damage,
        loadsOrRefuses(file, (json, data) => tfSlimMobileNetV1(readWeights(json, data))),
      ),
      settings,
    );
  }, 600_000);
});
