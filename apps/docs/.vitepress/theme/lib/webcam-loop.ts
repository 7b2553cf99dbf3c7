/**
 * The face demo's webcam: the camera's frames drawn to a canvas, and a detection loop that never
 * queues frames. A frame is sent to the detector only when no detection is in flight; frames
 * that arrive meanwhile are drawn (with the latest boxes) but not detected — dropped — so a slow
 * backend lowers the detection rate instead of building a backlog of stale frames.
 */
import type { FaceDetection, Pixels } from '@sepconv/mobilenet';
import { readableContext } from './demo-pixels.js';

/** What the loop has done so far; the page shows it and the e2e test reads it. */
export interface WebcamStats {
  /** New camera frames drawn to the canvas. */
  readonly framesDrawn: number;
  /** Frames sent to the detector. */
  readonly framesSent: number;
  /** Detections finished. */
  readonly framesDetected: number;
  /** Frames drawn while a detection was in flight, so not detected. */
  readonly framesDropped: number;
  /** The most detections ever in flight at once: 1 when frames never queue. */
  readonly maxInFlight: number;
  /** The last detection's time, from sending the frame to having its boxes, in ms. */
  readonly lastMs: number | undefined;
  /** The last detection's faces. */
  readonly faces: readonly FaceDetection[];
}

/** Detects faces in one frame's pixels (the demo: `detectInWorker` on the chosen backend). */
export type FrameDetector = (pixels: Pixels) => Promise<readonly FaceDetection[]>;

/** Draws the boxes of the latest detection over a frame. */
export type FaceDrawer = (context: CanvasRenderingContext2D, faces: readonly FaceDetection[]) => void;

/**
 * Asks for the camera. The errors say in words what went wrong (denied, none, in use, a page
 * without camera access), for the page to show as they are.
 */
export async function openCamera(): Promise<MediaStream> {
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
    throw new Error(
      'This page has no camera access (navigator.mediaDevices is undefined): browsers offer cameras only to pages served over HTTPS or from localhost.',
    );
  }
  try {
    return await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
  } catch (error) {
    throw new Error(cameraErrorText(error));
  }
}

/** getUserMedia's errors, by name, as a sentence for the visitor. */
const CAMERA_ERRORS: Readonly<Record<string, string>> = {
  NotAllowedError: 'Camera access was denied. Allow the camera for this site in the browser (the icon in the address bar) and start again.',
  SecurityError: 'Camera access was denied. Allow the camera for this site in the browser (the icon in the address bar) and start again.',
  NotFoundError: 'No camera was found on this device.',
  NotReadableError: 'The camera could not be started: another application may be using it.',
  OverconstrainedError: 'The camera cannot give the video this demo asks for.',
  AbortError: 'The camera could not be started.',
};

/** The sentence for a getUserMedia error, the browser's own message after it. */
export function cameraErrorText(error: unknown): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const detail = error instanceof Error || error instanceof DOMException ? error.message : String(error);
  return `${CAMERA_ERRORS[name] ?? 'The camera could not be started.'} (${name || 'error'}: ${detail})`;
}

/** What a {@link WebcamLoop} works with. */
export interface WebcamLoopParts {
  /** Plays the camera's stream (it need not be shown). */
  readonly video: HTMLVideoElement;
  /** Where frames and boxes are drawn; resized to the video's frames. */
  readonly canvas: HTMLCanvasElement;
  readonly detect: FrameDetector;
  readonly draw: FaceDrawer;
  /** Called after every new frame and every finished detection. */
  readonly onStats: (stats: WebcamStats) => void;
  /** Called once when a detection fails; the loop has stopped by then. */
  readonly onError: (error: unknown) => void;
}

/** The camera's frames on a canvas with faces detected on the latest frame whenever the detector is free. */
export class WebcamLoop {
  private stats: WebcamStats = { framesDrawn: 0, framesSent: 0, framesDetected: 0, framesDropped: 0, maxInFlight: 0, lastMs: undefined, faces: [] };
  private inFlight = 0;
  private lastFrameTime = -1;
  private handle: number | undefined;
  private running = false;

  constructor(private readonly parts: WebcamLoopParts) {}

  /** Starts drawing and detecting; call after the video plays the stream. */
  start(): void {
    this.running = true;
    const tick = () => {
      if (!this.running) return;
      this.onAnimationFrame();
      this.handle = requestAnimationFrame(tick);
    };
    this.handle = requestAnimationFrame(tick);
  }

  /** Stops the loop; a detection in flight finishes but changes nothing. */
  stop(): void {
    this.running = false;
    if (this.handle !== undefined) cancelAnimationFrame(this.handle);
    this.handle = undefined;
  }

  private update(change: Partial<WebcamStats>): void {
    this.stats = { ...this.stats, ...change };
    this.parts.onStats(this.stats);
  }

  private onAnimationFrame(): void {
    const { video, canvas } = this.parts;
    // Animation frames come faster than a camera's: only a new video frame is drawn and offered.
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0 || video.currentTime === this.lastFrameTime) return;
    this.lastFrameTime = video.currentTime;
    if (canvas.width !== video.videoWidth || canvas.height !== video.videoHeight) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
    }
    const context = readableContext(canvas);
    context.drawImage(video, 0, 0);
    if (this.inFlight === 0) this.send(context.getImageData(0, 0, canvas.width, canvas.height));
    else this.update({ framesDropped: this.stats.framesDropped + 1 });
    this.parts.draw(context, this.stats.faces);
    this.update({ framesDrawn: this.stats.framesDrawn + 1 });
  }

  private send(frame: ImageData): void {
    this.inFlight++;
    const start = performance.now();
    this.update({ framesSent: this.stats.framesSent + 1, maxInFlight: Math.max(this.stats.maxInFlight, this.inFlight) });
    this.parts
      .detect({ data: frame.data, width: frame.width, height: frame.height })
      .then((faces) => {
        if (this.running) this.update({ framesDetected: this.stats.framesDetected + 1, lastMs: performance.now() - start, faces });
      })
      .catch((error: unknown) => {
        if (!this.running) return;
        this.stop();
        this.parts.onError(error);
      })
      .finally(() => this.inFlight--);
  }
}
