// Real model files written to a temporary directory the way TensorFlow.js hosts them
// (model.json beside its binary shards): the npm packages ship them only wrapped as JS modules
// (nsfwjs) or without a topology (face-api), so loadModel's tests lay them out first.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nsfwjsMobileNetV2 } from './real-models.js';
import { tinyMobileNetGraph } from './tiny-graph-model.js';

const require = createRequire(import.meta.url);

/** One model laid out on disk: its model.json (parsed), the shard files by manifest path, and the shards concatenated. */
export interface ModelOnDisk {
  readonly dir: string;
  readonly modelJson: { weightsManifest: { paths: string[] }[] } & Record<string, unknown>;
  readonly shards: Record<string, Uint8Array>;
  readonly weightData: Uint8Array;
  /** model.json's size on disk plus every shard's. */
  readonly totalBytes: number;
}

function writeModel(root: string, name: string, modelJson: ModelOnDisk['modelJson'], shards: Record<string, Uint8Array>): ModelOnDisk {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(modelJson);
  writeFileSync(join(dir, 'model.json'), text);
  for (const [path, bytes] of Object.entries(shards)) writeFileSync(join(dir, path), bytes);
  const ordered = modelJson.weightsManifest.flatMap((g) => g.paths).map((p) => shards[p]!);
  const weightData = new Uint8Array(Buffer.concat(ordered));
  return { dir, modelJson, shards, weightData, totalBytes: Buffer.byteLength(text) + weightData.byteLength };
}

/** nsfwjs@4.3.0's MobileNetV2 graph model ('mobilenet_v2_mid', two shards), unwrapped from its JS modules. */
function nsfwjsGraphModel(): { modelJson: ModelOnDisk['modelJson']; shards: Record<string, Uint8Array> } {
  const root = join(dirname(dirname(require.resolve('nsfwjs'))), 'models', 'mobilenet_v2_mid');
  const modelJson = require(join(root, 'model.min.js'));
  const paths: string[] = modelJson.weightsManifest[0].paths;
  const shards = Object.fromEntries(paths.map((p) => [p, new Uint8Array(Buffer.from(require(join(root, `${p}.min.js`)) as string, 'base64'))]));
  return { modelJson, shards };
}

/**
 * Lays out, in a fresh temporary directory: `layers/` nsfwjs's Keras MobileNetV2 (one shard),
 * `graph/` nsfwjs's converted MobileNetV2 graph model (two shards), `tiny-graph/` the tiny
 * converter-style graph model split into two shards (one that loadGraphModel reads).
 */
export function writeModelFiles(): { root: string; layers: ModelOnDisk; graph: ModelOnDisk; tinyGraph: ModelOnDisk; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'sepconv-load-model-'));
  const keras = nsfwjsMobileNetV2();
  const layers = writeModel(root, 'layers', keras.modelJson as unknown as ModelOnDisk['modelJson'], { 'group1-shard1of1': keras.weightData });
  const real = nsfwjsGraphModel();
  const graph = writeModel(root, 'graph', real.modelJson, real.shards);
  const tiny = tinyMobileNetGraph();
  const half = Math.floor(tiny.weightData.byteLength / 2);
  const tinyJson = {
    ...tiny.modelJson,
    weightsManifest: [{ ...tiny.modelJson.weightsManifest[0]!, paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'] }],
  };
  const tinyGraph = writeModel(root, 'tiny-graph', tinyJson, {
    'group1-shard1of2.bin': tiny.weightData.slice(0, half),
    'group1-shard2of2.bin': tiny.weightData.slice(half),
  });
  return { root, layers, graph, tinyGraph, remove: () => rmSync(root, { recursive: true, force: true }) };
}
