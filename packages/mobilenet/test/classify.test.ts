import { modelSpec } from '@sepconv/graph';
import { SepconvError, ShapeError, UnsupportedError, ValueError } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { classify } from '../src/classify/classify.js';
import { imageToTensor } from '../src/image/image-to-tensor.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput } from '../src/runtime/model.js';
import { mobilenetV1 } from '../src/spec/index.js';

const backend = createReferenceBackend();
// A small MobileNetV1 classifier of 3 classes (random weights): its head ends in softmax.
const spec = mobilenetV1({ alpha: 0.25, resolution: 32, classes: 3 });
const model = await instantiate(spec, backend, { weights: 'random', seed: 3 });
const photo = { data: Uint8Array.from({ length: 40 * 30 * 4 }, (_, i) => (i * 53 + 7) % 256), width: 40, height: 30 };

async function rejection(promise: Promise<unknown>): Promise<SepconvError> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (e: unknown) => e as SepconvError,
  );
}

describe('classify on a softmax classifier', () => {
  it("returns the model's probabilities for the preprocessed image, most probable first, with index labels by default", async () => {
    const expected = onlyOutput(await model.predictAsync(imageToTensor(photo, { resolution: 32 }))).data;
    const result = await classify(model, photo);
    expect(result).toHaveLength(3);
    expect(result.map((r) => r.probability)).toEqual([...expected].sort((a, b) => b - a));
    for (const { label, index, probability } of result) {
      expect(probability).toBe(expected[index]);
      expect(label).toBe(String(index));
    }
  });

  it('labels from an array or an index → label record; topK cuts the list', async () => {
    const all = await classify(model, photo);
    const names = ['cat', 'dog', 'eel'];
    const fromArray = await classify(model, photo, { labels: names, topK: 2 });
    expect(fromArray).toEqual(all.slice(0, 2).map((r) => ({ ...r, label: names[r.index] })));
    expect(await classify(model, photo, { labels: { 0: 'cat', 1: 'dog', 2: 'eel' }, topK: 2 })).toEqual(fromArray);
  });

  it('takes a preprocessed tensor [1, height, width, 3] as it is, and options.range for pixels', async () => {
    const x = imageToTensor(photo, { resolution: 32, range: '[0, 1]' });
    const fromTensor = await classify(model, x);
    expect(await classify(model, photo, { range: '[0, 1]' })).toEqual(fromTensor);
    expect(fromTensor.map((r) => r.probability)).toEqual([...onlyOutput(await model.predictAsync(x)).data].sort((a, b) => b - a));
  });
});

describe('classify on a model that ends in logits', () => {
  it('applies a softmax to the logits (the same numbers as the softmax head)', async () => {
    const withoutSoftmax = modelSpec({ name: 'logits', inputs: spec.inputs, layers: spec.layers.slice(0, -1) });
    const logitsModel = await instantiate(withoutSoftmax, backend, { weights: 'random', seed: 3 });
    const logits = onlyOutput(await logitsModel.predictAsync(imageToTensor(photo, { resolution: 32 }))).data;
    expect(logits.reduce((a, b) => a + b, 0)).not.toBeCloseTo(1, 2);
    const fromLogits = await classify(logitsModel, photo);
    const fromSoftmax = await classify(model, photo);
    expect(fromLogits.map((r) => r.index)).toEqual(fromSoftmax.map((r) => r.index));
    fromLogits.forEach((r, i) => expect(r.probability).toBeCloseTo(fromSoftmax[i]!.probability, 6));
  });
});

describe('classify: bad input is a typed error naming the argument', () => {
  it('a model that is not a classifier', async () => {
    const features = await instantiate(mobilenetV1({ alpha: 0.25, resolution: 32, includeTop: false }), backend, { weights: 'random', seed: 1 });
    const error = await rejection(classify(features, photo));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error).toMatchObject({ op: 'classify', argument: 'model' });
    expect(error.message).toMatch(/outputs \[1, 1, 1, 256\], not a classifier's \[batch, classes\]/);
  });

  it('a bad topK', async () => {
    for (const topK of [0, -1, 1.5, Number.NaN, '3']) {
      const error = await rejection(classify(model, photo, { topK: topK as number }));
      expect(error).toBeInstanceOf(ValueError);
      expect(error).toMatchObject({ op: 'classify', argument: 'options.topK' });
    }
    expect(await classify(model, photo, { topK: 100 })).toHaveLength(3);
  });

  it('labels that do not fit the model', async () => {
    const cases: [unknown, RegExp][] = [
      [['cat', 'dog'], /options.labels has 2 labels, but the model has 3 classes/],
      [{ 0: 'cat', 2: 'eel' }, /options.labels has no label for class 1 \(the model has 3 classes\)/],
      [{ 0: 'cat', 1: 'dog', 2: 'eel', 3: 'fox' }, /options.labels has a label for '3', which is not a class index of this model \(0 to 2\)/],
      [{ 0: 'cat', 1: 'dog', two: 'eel' }, /a label for 'two'/],
      [['cat', 7, 'eel'], /options.labels\[1\] must be a string, got 7/],
      ['cat,dog,eel', /options.labels must be an array of strings or a record/],
    ];
    for (const [labels, message] of cases) {
      const error = await rejection(classify(model, photo, { labels: labels as string[] }));
      expect(error).toBeInstanceOf(ValueError);
      expect(error).toMatchObject({ op: 'classify', argument: 'options.labels' });
      expect(error.message).toMatch(message);
    }
  });

  it('an image that is neither pixels nor a one-image tensor of the model input', async () => {
    const batch = imageToTensor([photo, photo], { resolution: 32 });
    const shapeError = await rejection(classify(model, batch));
    expect(shapeError).toBeInstanceOf(ShapeError);
    expect(shapeError.message).toMatch(/^classify: image must be one image \[1, 32, 32, 3\] \(NHWC\), got \[2, 32, 32, 3\]/);
    const notImage = await rejection(classify(model, null as never));
    expect(notImage).toBeInstanceOf(ValueError);
    expect(notImage).toMatchObject({ op: 'classify', argument: 'image' });
    expect(await rejection(classify(model, { data: new Uint8Array(5), width: 2, height: 2 }))).toBeInstanceOf(ShapeError);
  });

  it('a model of several outputs', async () => {
    const twoHeads = modelSpec({ name: 'two-heads', inputs: spec.inputs, layers: spec.layers, outputs: ['conv_preds', 'predictions'] });
    const error = await rejection(classify({ ...model, spec: twoHeads }, photo));
    expect(error).toBeInstanceOf(UnsupportedError);
    expect(error.message).toMatch(/model 'two-heads' has 2 outputs \('conv_preds', 'predictions'\)/);
  });
});
