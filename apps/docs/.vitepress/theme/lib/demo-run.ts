/**
 * The live demo's steps as plain functions: get a backend (WebGPU where the browser has it,
 * the CPU otherwise), turn the sample image into an NHWC tensor, run a block, time it.
 */
import { tensor, type Backend, type HostTensor, type SeparableConv2dOptions } from '@sepconv/tensor';
import { createCpuBackend } from '@sepconv/cpu';
import { createWebGpuBackend } from '@sepconv/webgpu';

/** Whether this browser can run the WebGPU backend, and if not, why not in words. */
export type WebGpuStatus =
  { readonly available: true; readonly backend: Backend; readonly adapter: string } | { readonly available: false; readonly reason: string };

/** Asks the browser for a WebGPU adapter and builds the WebGPU backend on it. */
export async function openWebGpu(): Promise<WebGpuStatus> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) {
    return { available: false, reason: 'this browser has no WebGPU (navigator.gpu is undefined)' };
  }
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) return { available: false, reason: 'this browser has WebGPU but found no GPU adapter (requestAdapter() returned null)' };
  try {
    const backend = await createWebGpuBackend({ adapter });
    const info = adapter.info;
    const name = [info.vendor, info.architecture, info.description].filter((s) => s && s.length > 0).join(' ');
    return { available: true, backend, adapter: name || 'unnamed adapter' };
  } catch (error) {
    return { available: false, reason: `the WebGPU backend could not start: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * The CPU backend the demo falls back to and checks the GPU against. A page that is not
 * cross-origin isolated has no shared memory, so the backend runs on one thread here.
 */
export async function openCpu(): Promise<{ backend: Backend; label: string }> {
  const backend = await createCpuBackend();
  const threads = `${backend.threads} thread${backend.threads === 1 ? '' : 's'}`;
  return { backend, label: `@sepconv/cpu, ${backend.isa}, ${threads}` };
}

/** Draws an image at `size`×`size` and returns it as a `[1, size, size, 3]` tensor of values in [0, 1]. */
export async function imageTensor(url: string, size: number, canvas: HTMLCanvasElement): Promise<HostTensor> {
  const image = new Image();
  image.src = url;
  await image.decode();
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('demo: the browser gave no 2D canvas context');
  context.drawImage(image, 0, 0, size, size);
  const rgba = context.getImageData(0, 0, size, size).data;
  const rgb = new Float32Array(size * size * 3);
  // In range: the canvas's image data is size × size RGBA pixels.
  for (let p = 0; p < size * size; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = rgba[p * 4 + c]! / 255;
  return tensor(rgb, [1, size, size, 3]);
}

/** Paints a `[1, height, width, 3]` output (values clamped to [0, 1]) onto a canvas. */
export function paint(values: Float32Array, height: number, width: number, canvas: HTMLCanvasElement): void {
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('demo: the browser gave no 2D canvas context');
  const pixels = context.createImageData(width, height);
  // In range: values is [1, height, width, 3], pixels height × width RGBA.
  for (let p = 0; p < height * width; p++) {
    for (let c = 0; c < 3; c++) pixels.data[p * 4 + c] = Math.round(255 * Math.min(1, Math.max(0, values[p * 3 + c]!)));
    pixels.data[p * 4 + 3] = 255;
  }
  context.putImageData(pixels, 0, 0);
}

/** A separable convolution's output and how long it took, read back included. */
export interface TimedRun {
  readonly output: Float32Array;
  /** Milliseconds of every timed run, in order. */
  readonly times: readonly number[];
  /** NaN when there was no timed run. */
  readonly bestMs: number;
  /** NaN when there was no timed run. */
  readonly medianMs: number;
}

/**
 * Runs `separableConv2d` once untimed (a GPU compiles its pipelines then) and `runs` times
 * timed, each until its result is back on the host.
 */
export async function timeSeparable(
  backend: Backend,
  inputs: { x: HostTensor; depthwise: HostTensor; pointwise: HostTensor },
  options: SeparableConv2dOptions,
  runs: number,
): Promise<TimedRun> {
  return timeRuns(async () => {
    const y = backend.separableConv2d(inputs.x, inputs.depthwise, inputs.pointwise, options);
    const values = await backend.read(y);
    y.dispose();
    return values;
  }, runs);
}

async function timeRuns(once: () => Promise<Float32Array>, runs: number): Promise<TimedRun> {
  let output = await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    output = await once();
    times.push(performance.now() - start);
  }
  const sorted = [...times].sort((a, b) => a - b);
  // No timed run (runs 0: the caller wants the output only) has no time: NaN.
  return { output, times, bestMs: sorted[0] ?? NaN, medianMs: sorted[Math.floor(sorted.length / 2)] ?? NaN };
}
