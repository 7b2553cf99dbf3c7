// Face detection end to end: face-api's SSD MobileNetV1 face detector read by
// ssdMobileNetV1FaceDetector, run on sepconv's backends by detectFaces, finds the same faces as
// face-api@1.7.15 itself (on tfjs-backend-cpu) in one of face-api's demo photos and in
// darknet's person.jpg: the same count, in the same order, boxes within one pixel of the
// model's 512×512 input, scores within 1e-3.
import { createCpuBackend } from '@sepconv/cpu';
import type { Backend } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSsdOutputs } from '../src/detection/decode-ssd-outputs.js';
import { detectFaces } from '../src/detection/detect-faces.js';
import { ssdInput } from '../src/detection/ssd-input.js';
import type { FaceDetection } from '../src/detection/face-detection.js';
import type { Pixels } from '../src/image/image-to-tensor.js';
import { instantiate } from '../src/runtime/instantiate.js';
import { readWeights } from '../src/weights/read-weights.js';
import { ssdMobileNetV1FaceDetector } from '../src/weights/ssd-mobilenet-v1-face-detector.js';
import { instantiateInWorker, serveModelWorker } from '../src/worker/index.js';
import { faceApiLocateFaces } from './support/face-api.js';
import { acquireWebGpuBackend } from './support/gpu-backend.js';
import { darknetPhoto, faceApiPhoto, faceApiSsdMobileNetV1 } from './support/real-models.js';

const files = faceApiSsdMobileNetV1();
const detector = ssdMobileNetV1FaceDetector(readWeights(files.manifest, files.weightData));

// person.jpg's faces are small and turned away: face-api finds none above its default 0.5,
// so that photo is compared at 0.1 to have faces to compare.
const photos: Record<'demo' | 'person', { image: Pixels; minConfidence: number }> = {
  demo: { image: faceApiPhoto('sample5'), minConfidence: 0.5 },
  person: { image: darknetPhoto('person'), minConfidence: 0.1 },
};
const expected: Partial<Record<keyof typeof photos, FaceDetection[]>> = {};

beforeAll(async () => {
  // face-api on tfjs-backend-cpu: tens of seconds per photo on a busy machine.
  for (const [name, { image, minConfidence }] of Object.entries(photos))
    expected[name as keyof typeof photos] = await faceApiLocateFaces(image, { minConfidence });
}, 600_000);

async function expectSameFaces(backend: Backend, name: keyof typeof photos): Promise<void> {
  const { image, minConfidence } = photos[name];
  const model = await instantiate(detector.spec, backend, { weights: detector.weights });
  const faces = await detectFaces({ model, anchors: detector.anchors, scoreClass: detector.scoreClass }, image, { minConfidence });
  model.dispose();
  const theirs = expected[name]!;
  expect(theirs.length).toBeGreaterThan(0);
  expect(faces.length).toBe(theirs.length);
  // One pixel of the 512×512 input, in the photo's pixels.
  const pixel = Math.max(image.width, image.height) / 512;
  for (const [i, face] of faces.entries()) {
    const their = theirs[i]!;
    expect(Math.abs(face.score - their.score), `face ${i} score`).toBeLessThan(1e-3);
    for (const key of ['x', 'y', 'width', 'height'] as const) {
      expect(Math.abs(face.box[key] - their.box[key]), `face ${i} box.${key} (${face.box[key]} vs ${their.box[key]})`).toBeLessThan(pixel);
    }
  }
}

describe("face-api's SSD MobileNetV1 face detector finds the same faces as face-api", () => {
  it('face-api finds the five faces of its demo photo sample5', () => {
    expect(expected.demo!.length).toBe(5);
  });

  it('on the CPU backend (2 threads): the demo photo and person.jpg', async () => {
    const backend = await createCpuBackend({ threads: 2 });
    await expectSameFaces(backend, 'demo');
    await expectSameFaces(backend, 'person');
    backend.dispose();
  });

  it('in two halves around a worker, as the docs demo runs it: ssdInput, the network in the worker, decodeSsdOutputs give what detectFaces gives', async () => {
    const { image, minConfidence } = photos.demo;
    const { port1, port2 } = new MessageChannel();
    const stop = serveModelWorker({ cpu: createCpuBackend }, port2);
    const remote = await instantiateInWorker(port1, detector.spec, { weights: detector.weights, backend: 'cpu', backendOptions: { threads: 1 } });
    const faces = decodeSsdOutputs(await remote.predictAsync(ssdInput(remote.spec, image)), detector, image, { minConfidence });
    await remote.dispose();
    stop();
    port1.close();
    const backend = await createCpuBackend({ threads: 1 });
    const model = await instantiate(detector.spec, backend, { weights: detector.weights });
    const direct = await detectFaces({ model, anchors: detector.anchors, scoreClass: detector.scoreClass }, image, { minConfidence });
    backend.dispose();
    expect(faces).toHaveLength(5);
    expect(faces).toEqual(direct);
  });

  it('on the reference backend: the demo photo', async () => {
    await expectSameFaces(createReferenceBackend(), 'demo');
  });
});

const gpu = await acquireWebGpuBackend();
afterAll(() => gpu.backend?.dispose());

describe("face-api's SSD MobileNetV1 face detector on WebGPU", () => {
  if (gpu.backend) {
    const backend = gpu.backend;
    // One photo: SwiftShader is a CPU rasteriser.
    it('the demo photo', async () => {
      await expectSameFaces(backend, 'demo');
    });
  } else {
    it.skip(`NO WEBGPU ADAPTER — not run (set SEPCONV_REQUIRE_GPU=1 to fail instead): ${gpu.reason}`, () => {});
  }
});
