// detectFaces on a two-pixel SSD whose outputs are known by construction: the box encodings
// are zero (boxes are the anchors), the face logit is 4× the red channel of the padded,
// resized photo. Checks the padding, the pixel scaling and clipping, the scores, NMS and the
// errors, without a real network; and its two public halves around the network, ssdInput and
// decodeSsdOutputs, give the same faces when the network runs elsewhere.
import { modelSpec, pointwiseConv2dLayer } from '@sepconv/graph';
import { HostTensor, ShapeError, ValueError } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { decodeSsdOutputs } from '../src/detection/decode-ssd-outputs.js';
import { detectFaces } from '../src/detection/detect-faces.js';
import { ssdInput } from '../src/detection/ssd-input.js';
import { imageToTensor } from '../src/image/image-to-tensor.js';
import { instantiate } from '../src/runtime/instantiate.js';

const inputShape = [1, 2, 2, 3];
const spec = modelSpec({
  name: 'tiny_ssd',
  inputShape,
  outputs: ['box_encodings_0', 'class_logits_0'],
  layers: [
    pointwiseConv2dLayer({ name: 'box_encodings_0', inputs: ['input'], inputShape, outChannels: 4, useBias: true }),
    pointwiseConv2dLayer({ name: 'class_logits_0', inputs: ['input'], inputShape, outChannels: 2, useBias: true }),
  ],
});
const weights = new Map([
  ['box_encodings_0/kernel', new HostTensor(new Float32Array(12), [3, 4])],
  ['box_encodings_0/bias', new HostTensor(new Float32Array(4), [4])],
  // Logit 1 = 4·red, logit 0 (background) = 0.
  ['class_logits_0/kernel', new HostTensor(Float32Array.of(0, 4, 0, 0, 0, 0), [3, 2])],
  ['class_logits_0/bias', new HostTensor(new Float32Array(2), [2])],
]);
const model = await instantiate(spec, createReferenceBackend(), { weights });
// Anchors 0 and 1 (top row) are the same box; 2 and 3 (bottom row) are empty.
const anchors = new HostTensor(Float32Array.of(0.25, 0.5, 1.2, 1, 0.25, 0.5, 1.2, 1, 0, 0, 0, 0, 0, 0, 0, 0), [4, 4]);

// A 4×2 photo: padded to 4×4 with black rows below, resized to 2×2 it samples pixels (0, 0),
// (0, 2) and two padding pixels. Red 255 → 1 → logit 4; red 0 → −1 → logit −4; padding −1.
function photo(red0: number, red2: number): { data: Uint8Array; width: number; height: number } {
  const data = new Uint8Array(4 * 2 * 4);
  data[0] = red0;
  data[2 * 4] = red2;
  return { data, width: 4, height: 2 };
}
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe('detectFaces', () => {
  it('scales the box from the padded square to the photo and clips it to the photo', async () => {
    const faces = await detectFaces({ model, anchors }, photo(255, 0));
    expect(faces).toHaveLength(1);
    // Square side 4: y 0.25·4 = 1 … min(1.2·4, 2) = 2; x 0.5·4 = 2 … 4.
    expect(faces[0]!.box).toEqual({ x: 2, y: 1, width: 2, height: 1 });
    expect(faces[0]!.score).toBeCloseTo(sigmoid(4), 5);
  });

  it('suppresses the overlapping anchor unless iouThreshold allows it; minConfidence and maxResults apply', async () => {
    expect(await detectFaces({ model, anchors }, photo(255, 255))).toHaveLength(1);
    expect(await detectFaces({ model, anchors }, photo(255, 255), { iouThreshold: 1 })).toHaveLength(2);
    expect(await detectFaces({ model, anchors }, photo(255, 255), { iouThreshold: 1, maxResults: 1 })).toHaveLength(1);
    // Every anchor scores sigmoid(−4) ≈ 0.018 at least: all four pass 0.01 (the empty ones overlap nothing).
    expect(await detectFaces({ model, anchors }, photo(255, 255), { iouThreshold: 1, minConfidence: 0.01 })).toHaveLength(4);
    expect(await detectFaces({ model, anchors }, photo(0, 0))).toEqual([]);
  });

  it('scores another class when asked', async () => {
    // The background logit is 0 everywhere: every anchor scores 0.5; anchor 1 repeats anchor 0.
    const faces = await detectFaces({ model, anchors, scoreClass: 0 }, photo(0, 0), { minConfidence: 0.4 });
    expect(faces.map((f) => f.score)).toEqual([0.5, 0.5, 0.5]);
  });

  it('names what does not fit: options, anchors, scoreClass, a model that is not an SSD', async () => {
    await expect(detectFaces({ model, anchors }, photo(0, 0), { minConfidence: 1.5 })).rejects.toThrow(
      /^detectFaces: options.minConfidence must be a number in \[0, 1\]/,
    );
    await expect(detectFaces({ model, anchors: new HostTensor(new Float32Array(12), [3, 4]) }, photo(0, 0))).rejects.toThrow(ShapeError);
    await expect(detectFaces({ model, anchors: new HostTensor(new Float32Array(12), [3, 4]) }, photo(0, 0))).rejects.toThrow(
      /detector.anchors must be \[4, 4\]/,
    );
    await expect(detectFaces({ model, anchors, scoreClass: 2 }, photo(0, 0))).rejects.toThrow(
      /detector.scoreClass must be an integer in \[0, 2\), got 2/,
    );
    const single = await instantiate(
      modelSpec({ name: 'one', inputShape, layers: [pointwiseConv2dLayer({ inputShape, outChannels: 4 })] }),
      createReferenceBackend(),
      { weights: 'random' },
    );
    await expect(detectFaces({ model: single, anchors }, photo(0, 0))).rejects.toThrow(ValueError);
    await expect(detectFaces({ model: single, anchors }, photo(0, 0))).rejects.toThrow(
      /the model has one output \[1, 2, 2, 4\]: an SSD detector has box_encodings_<level>/,
    );
  });
});

describe('ssdInput and decodeSsdOutputs: detectFaces in two halves around the network', () => {
  const cases = [
    { red0: 255, red2: 0, options: {} },
    { red0: 255, red2: 255, options: {} },
    { red0: 255, red2: 255, options: { iouThreshold: 1 } },
    { red0: 255, red2: 255, options: { iouThreshold: 1, minConfidence: 0.01, maxResults: 3 } },
    { red0: 0, red2: 0, options: {} },
  ];

  it('ssdInput is the photo padded to a square and resized to the model input, in [-1, 1]', () => {
    const x = ssdInput(spec, photo(255, 0));
    expect(x.shape).toEqual([1, 2, 2, 3]);
    expect(x.data).toEqual(imageToTensor(photo(255, 0), { resolution: 2, fit: 'pad' }).data);
    // Pixel (0, 0) is red 255 → 1; the bottom row is the black padding → −1.
    expect([...x.data.subarray(0, 3)]).toEqual([1, -1, -1]);
    expect([...x.data.subarray(6)]).toEqual([-1, -1, -1, -1, -1, -1]);
  });

  it.each(cases)('finds what detectFaces finds: red $red0, $red2, options $options', async ({ red0, red2, options }) => {
    const image = photo(red0, red2);
    const outputs = await model.predictAsync(ssdInput(model.spec, image));
    const faces = decodeSsdOutputs(outputs, { anchors }, image, options);
    expect(faces).toEqual(await detectFaces({ model, anchors }, image, options));
  });

  it('decodes from the image size alone and scores another class when asked', async () => {
    const outputs = await model.predictAsync(ssdInput(spec, photo(0, 0)));
    const faces = decodeSsdOutputs(outputs, { anchors, scoreClass: 0 }, { width: 4, height: 2 }, { minConfidence: 0.4 });
    expect(faces).toEqual(await detectFaces({ model, anchors, scoreClass: 0 }, photo(0, 0), { minConfidence: 0.4 }));
    expect(faces.map((f) => f.score)).toEqual([0.5, 0.5, 0.5]);
  });

  it('ssdInput names a model that does not take one square NHWC image', () => {
    const wide = modelSpec({ name: 'wide', inputShape: [1, 2, 3, 3], layers: [pointwiseConv2dLayer({ inputShape: [1, 2, 3, 3], outChannels: 4 })] });
    expect(() => ssdInput(wide, photo(0, 0))).toThrow(ValueError);
    expect(() => ssdInput(wide, photo(0, 0))).toThrow(/^ssdInput: .*one square NHWC image \[batch, size, size, 3\], got inputs \[1, 2, 3, 3\]/);
    expect(() => ssdInput({ ...spec, layout: 'nchw' }, photo(0, 0))).toThrow(/laid out 'nchw'/);
    expect(() => ssdInput(spec, { data: new Uint8Array(5), width: 4, height: 2 })).toThrow(ShapeError);
  });

  it('decodeSsdOutputs names what does not fit: outputs, anchors, scoreClass, image, options', async () => {
    const outputs = await model.predictAsync(ssdInput(spec, photo(0, 0)));
    const image = photo(0, 0);
    expect(() => decodeSsdOutputs(new HostTensor(new Float32Array(4), [1, 4]), { anchors }, image)).toThrow(
      /^decodeSsdOutputs: the model has one output \[1, 4\]/,
    );
    expect(() => decodeSsdOutputs({ logits: new HostTensor(new Float32Array(4), [1, 4]) }, { anchors }, image)).toThrow(
      /^decodeSsdOutputs: the model has no output 'box_encodings_0'/,
    );
    expect(() => decodeSsdOutputs(outputs, { anchors: new HostTensor(new Float32Array(12), [3, 4]) }, image)).toThrow(ShapeError);
    expect(() => decodeSsdOutputs(outputs, { anchors: new HostTensor(new Float32Array(12), [3, 4]) }, image)).toThrow(
      /^decodeSsdOutputs: detector.anchors must be \[4, 4\] for the model's outputs, got \[3, 4\]/,
    );
    expect(() => decodeSsdOutputs(outputs, { anchors, scoreClass: 1.5 }, image)).toThrow(/detector.scoreClass must be an integer in \[0, 2\)/);
    expect(() => decodeSsdOutputs(outputs, { anchors }, { width: 0, height: 2 })).toThrow(
      /^decodeSsdOutputs: image must have a positive integer width and height, got 0×2/,
    );
    expect(() => decodeSsdOutputs(outputs, { anchors }, image, { maxResults: -1 })).toThrow(
      /^decodeSsdOutputs: options.maxResults must be an integer >= 0/,
    );
  });
});
