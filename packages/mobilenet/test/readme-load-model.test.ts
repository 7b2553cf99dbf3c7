// The README's "Loading a model" example, line for line, run as a user would write it (imports
// by package name), and a check that the README still holds exactly these lines.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const EXAMPLE = `
import { createCpuBackend } from '@sepconv/cpu';
import { imageToTensor, instantiate, loadModel } from '@sepconv/mobilenet';
import { MobileNetV2Model } from 'nsfwjs/models/mobilenet_v2'; // nsfwjs ships a Keras MobileNetV2's model.json and weight shards as JS modules
const modelJson = (await MobileNetV2Model.modelJson()).default;
const shards = await Promise.all(MobileNetV2Model.weightBundles.map(async (load) => Buffer.from((await load()).default, 'base64')));
const { spec, weights } = await loadModel({ modelJson, weights: Buffer.concat(shards) }, { onProgress: (p) => console.log(p.fraction) });
const model = await instantiate(spec, await createCpuBackend({ threads: 2 }), { weights });
const photo = { data: new Uint8Array(224 * 224 * 4).fill(128), width: 224, height: 224 }; // RGBA, e.g. jpeg-js's decode
console.log(await model.predictAsync(imageToTensor(photo, { range: '[0, 1]' }))); // [1, 5] probabilities
`;

describe('README: loading a model', () => {
  it('holds the example exactly as this test runs it', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(EXAMPLE.trim());
    // Each statement after the imports is written twice here: in EXAMPLE and in the test that runs it.
    const self = readFileSync(new URL(import.meta.url), 'utf8');
    const statements = EXAMPLE.trim()
      .split('\n')
      .filter((line) => !line.startsWith('import '));
    expect(statements.filter((line) => self.split(line).length - 1 < 2)).toEqual([]);
  });

  it('runs: nsfwjs’s MobileNetV2 loaded, instantiated on the CPU backend, five probabilities out', async () => {
    const { createCpuBackend } = await import('@sepconv/cpu');
    const { imageToTensor, instantiate, loadModel } = await import('@sepconv/mobilenet');
    const { MobileNetV2Model } = await import('nsfwjs/models/mobilenet_v2');
    const fractions: (number | undefined)[] = [];
    const console = { log: (value: unknown) => (typeof value === 'number' || value === undefined ? fractions.push(value) : logged.push(value)) };
    const logged: unknown[] = [];
    // ---- the example's lines after its imports ----
    const modelJson = (await MobileNetV2Model.modelJson()).default;
    const shards = await Promise.all(MobileNetV2Model.weightBundles.map(async (load) => Buffer.from((await load()).default, 'base64')));
    const { spec, weights } = await loadModel({ modelJson, weights: Buffer.concat(shards) }, { onProgress: (p) => console.log(p.fraction) });
    const model = await instantiate(spec, await createCpuBackend({ threads: 2 }), { weights });
    const photo = { data: new Uint8Array(224 * 224 * 4).fill(128), width: 224, height: 224 }; // RGBA, e.g. jpeg-js's decode
    console.log(await model.predictAsync(imageToTensor(photo, { range: '[0, 1]' }))); // [1, 5] probabilities
    // ----
    expect(fractions.at(-1)).toBe(1);
    const y = logged[0] as { shape: number[]; data: Float32Array };
    expect(y.shape).toEqual([1, 5]);
    expect(y.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    model.dispose();
  });
});
