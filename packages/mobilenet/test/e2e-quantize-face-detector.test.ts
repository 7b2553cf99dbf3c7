// face-api's SSD MobileNetV1 face detector quantized to int8 (calibrated on two other demo
// photos) finds the same faces as the float detector in face-api's demo photo sample5.
import { createCpuBackend } from '@sepconv/cpu';
import type { Backend } from '@sepconv/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFaces } from '../src/detection/detect-faces.js';
import type { FaceDetection } from '../src/detection/face-detection.js';
import { ssdInput } from '../src/detection/ssd-input.js';
import { quantizeModel } from '../src/quantize/quantize-model.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { readWeights } from '../src/weights/read-weights.js';
import { ssdMobileNetV1FaceDetector } from '../src/weights/ssd-mobilenet-v1-face-detector.js';
import { faceApiPhoto, faceApiSsdMobileNetV1 } from './support/real-models.js';
import { int8Backend } from './support/int8-backend.js';

const files = faceApiSsdMobileNetV1();
const detector = ssdMobileNetV1FaceDetector(readWeights(files.manifest, files.weightData));
const photo = faceApiPhoto('sample5');
let backend: Backend;
let float: FaceDetection[];

beforeAll(async () => {
  backend = await createCpuBackend({ threads: 2 });
  const model = await instantiate(detector.spec, backend, { weights: detector.weights });
  float = await detectFaces({ model, anchors: detector.anchors, scoreClass: detector.scoreClass }, photo);
  model.dispose();
}, 120_000);
afterAll(() => backend.dispose());

function iou(a: FaceDetection['box'], b: FaceDetection['box']): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  const overlap = Math.max(0, width) * Math.max(0, height);
  return overlap / (a.width * a.height + b.width * b.height - overlap);
}

describe("face-api's SSD face detector quantized to int8", () => {
  it('finds the same five faces as the float detector (boxes overlapping by IoU > 0.9, scores within 0.05)', async () => {
    const calibration = [faceApiPhoto('sample1'), faceApiPhoto('sample2')].map((image) => ssdInput(detector.spec, image));
    const quantized = await quantizeModel(detector.spec, detector.weights, { calibration, backend });
    expect(quantized.spec.quantization.floatLayers).toEqual({});
    // int8 on the CPU backend where it declares the int8 capabilities, else on the reference backend (bit-identical).
    const model = await instantiate(quantized.spec, int8Backend(backend), { weights: quantized.weights });
    const faces = await detectFaces({ model, anchors: detector.anchors, scoreClass: detector.scoreClass }, photo);
    expect(float.length).toBe(5);
    expect(faces.length).toBe(float.length);
    for (const [i, face] of faces.entries()) {
      const best = Math.max(...float.map((theirs) => iou(face.box, theirs.box)));
      expect(best, `face ${i}`).toBeGreaterThan(0.9);
      const match = float.find((theirs) => iou(face.box, theirs.box) === best)!;
      expect(Math.abs(face.score - match.score), `face ${i} score`).toBeLessThan(0.05);
      console.log(`face ${i}: IoU ${best.toFixed(3)}, score ${face.score.toFixed(4)} vs ${match.score.toFixed(4)}`);
    }
  }, 600_000);
});
