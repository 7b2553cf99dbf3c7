// detectFaces on a two-pixel SSD whose outputs are known by construction: the box encodings
// are zero (boxes are the anchors), the face logit is 4× the red channel of the padded,
// resized photo. Checks the padding, the pixel scaling and clipping, the scores, NMS and the
// errors, without a real network.
import { modelSpec, pointwiseConv2dLayer } from '@sepconv/graph';
import { HostTensor, ShapeError, ValueError } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describe, expect, it } from 'vitest';
import { detectFaces } from '../src/detection/detect-faces.js';
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
