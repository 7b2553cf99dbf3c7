/**
 * The live demo's face detector: face-api's SSD MobileNetV1 (real trained weights), served by
 * this site from `public/demo-assets/` (copied there at build time by
 * `scripts/copy-demo-assets.ts`), read with `readWeights` and `ssdMobileNetV1FaceDetector`, and
 * run in Web Workers (`demo-workers.ts`). The page does the two cheap halves of `detectFaces`
 * around the network: `ssdInput` (pad, resize to 512×512) before the worker, and
 * `decodeSsdOutputs` (anchors, scores, non-max suppression) after it.
 */
import {
  decodeSsdOutputs,
  readWeights,
  ssdInput,
  ssdMobileNetV1FaceDetector,
  type DetectFacesOptions,
  type FaceDetection,
  type Pixels,
  type SsdAnchors,
  type SsdDetectorModel,
  type WorkerModel,
} from '@sepconv/mobilenet';

/** Where the site serves the detector's files and the photo of faces, relative to its base. */
export const FACE_DETECTOR_PATH = '/demo-assets/face-api-ssd-mobilenetv1/';
export const FACE_DETECTOR_MANIFEST = 'ssd_mobilenetv1_model-weights_manifest.json';
export const FACE_DETECTOR_SHARD = 'ssd_mobilenetv1_model.bin';
export const FACES_PHOTO_PATH = '/demo-assets/faces.jpg';

/** The bytes at `url`, reporting the fraction received where the server sends a length. */
async function fetchBytes(url: string, onProgress: (fraction: number) => void): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`demo: ${url} answered ${response.status} ${response.statusText}`);
  const total = Number(response.headers.get('content-length')) || 0;
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (const reader = response.body.getReader(); ;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    if (total > 0) onProgress(Math.min(received / total, 1));
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * Fetches face-api's weights manifest and its one shard from `baseUrl` (a folder URL ending in
 * `/`) and reads them onto the SSD MobileNetV1 spec: the spec, weights, anchors and score class.
 */
export async function loadFaceDetector(baseUrl: string, onProgress: (fraction: number) => void): Promise<SsdDetectorModel> {
  const manifestResponse = await fetch(`${baseUrl}${FACE_DETECTOR_MANIFEST}`);
  if (!manifestResponse.ok) throw new Error(`demo: ${baseUrl}${FACE_DETECTOR_MANIFEST} answered ${manifestResponse.status}`);
  const manifest: unknown = await manifestResponse.json();
  const shard = await fetchBytes(`${baseUrl}${FACE_DETECTOR_SHARD}`, onProgress);
  onProgress(1);
  return ssdMobileNetV1FaceDetector(readWeights(manifest, shard));
}

/** One detection on one backend: the faces, and where the time went. */
export interface FaceDetectionRun {
  readonly faces: readonly FaceDetection[];
  /** `ssdInput` on the page: pad, resize to 512×512, scale to [-1, 1]; in ms. */
  readonly prepareMs: number;
  /** The network in the worker, the trip there and back included (the first run also compiles a GPU's programs); in ms. */
  readonly networkMs: number;
  /** `decodeSsdOutputs` on the page: 5118 anchors decoded, scored, suppressed; in ms. */
  readonly decodeMs: number;
}

/** Finds the faces in `pixels`: the input made here, the network run in `model`'s worker, the outputs decoded here. */
export async function detectInWorker(
  model: WorkerModel,
  detector: SsdAnchors,
  pixels: Pixels,
  options: DetectFacesOptions,
): Promise<FaceDetectionRun> {
  const start = performance.now();
  const x = ssdInput(model.spec, pixels);
  const sent = performance.now();
  // Moved, not copied: the 3 MB input is made for this one predict.
  const outputs = await model.predictAsync(x, { transfer: true });
  const received = performance.now();
  const faces = decodeSsdOutputs(outputs, detector, pixels, options);
  return { faces, prepareMs: sent - start, networkMs: received - sent, decodeMs: performance.now() - received };
}

/**
 * Draws each face's box and score over what `context` holds. `scale` maps the photo's pixels to
 * the canvas's (a large photo is shown smaller); lines and labels keep a readable size.
 */
export function drawFaces(context: CanvasRenderingContext2D, faces: readonly FaceDetection[], colour: string, scale = 1): void {
  // The canvas is shown at most 480 px wide: lines of 1/320 of its width show as about 1.5 px, labels as about 13 px.
  const line = Math.max(2, Math.round(context.canvas.width / 320));
  const fontSize = Math.round(context.canvas.width / 36);
  context.lineWidth = line;
  context.strokeStyle = colour;
  context.fillStyle = colour;
  context.font = `${fontSize}px sans-serif`;
  for (const { box, score } of faces) {
    context.strokeRect(box.x * scale, box.y * scale, box.width * scale, box.height * scale);
    context.fillText(score.toFixed(2), box.x * scale, Math.max(fontSize, box.y * scale - line));
  }
}
