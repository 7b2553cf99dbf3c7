// Soak test, behind SEPCONV_SOAK=1 (CONTRIBUTING.md, "Soak test"): thousands of predictions of
// a small MobileNet with memory sampled throughout, which must stay flat after warm-up — the
// CPU backend's heap to the byte, WebGPU's live buffer bytes to the byte, the process's
// resident memory within a bound. Every prediction path is exercised in turn: predict inside
// backend.scope, predict then read and dispose, and predictAsync (whose host result is only
// forgotten). Minutes long, so not part of `pnpm test`.
import { createCpuBackend, type CpuBackend } from '@sepconv/cpu';
import { randomUniform, type Backend, type Tensor } from '@sepconv/tensor';
import { createWebGpuBackend, type WebGpuBackend } from '@sepconv/webgpu';
import { describe, expect, it } from 'vitest';
import { instantiate } from '../src/runtime/instantiate.js';
import { onlyOutput, type Model } from '../src/runtime/model.js';
import { mobilenetV1 } from '../src/spec/index.js';

const SOAK = process.env.SEPCONV_SOAK === '1';
/** SEPCONV_SOAK_PREDICTS=N shortens (or lengthens) the run: N on the CPU, N / 10 on WebGPU. */
const cpuPredicts = Number(process.env.SEPCONV_SOAK_PREDICTS ?? 10_000);
if (!Number.isSafeInteger(cpuPredicts) || cpuPredicts < 1)
  throw new Error(`SEPCONV_SOAK_PREDICTS must be a positive integer, got '${process.env.SEPCONV_SOAK_PREDICTS}'`);
const gpuPredicts = Math.max(20, Math.round(cpuPredicts / 10));
/** Samples per run; the first tenth of the run is warm-up (pools fill, programs compile, the JIT settles). */
const SAMPLES = 50;
/** Growth of resident memory allowed after warm-up: the collector's and allocator's slack, far below a per-prediction leak over thousands. */
const RSS_SLACK = 48 * 2 ** 20;

const spec = mobilenetV1({ alpha: 0.25, resolution: 96, classes: 1000 });

interface Sample {
  readonly predicts: number;
  readonly backendBytes: number;
  readonly rss: number;
}

/** One prediction by path `i % 3`; every backend tensor is disposed, the host result forgotten. */
async function predictOnce(backend: Backend, model: Model, x: Tensor, i: number): Promise<void> {
  if (i % 3 === 0) {
    const y = backend.scope(() => onlyOutput(model.predict(x)));
    await backend.read(y);
    y.dispose();
  } else if (i % 3 === 1) {
    const y = onlyOutput(model.predict(x));
    await backend.read(y);
    y.dispose();
  } else {
    await model.predictAsync(x);
  }
}

async function soak(backend: Backend, predicts: number, backendBytes: () => number): Promise<Sample[]> {
  const model = await instantiate(spec, backend, { seed: 7 });
  const x = randomUniform([1, 96, 96, 3], 8);
  const every = Math.max(1, Math.floor(predicts / SAMPLES));
  const samples: Sample[] = [];
  for (let i = 0; i < predicts; i++) {
    await predictOnce(backend, model, x, i);
    if ((i + 1) % every === 0) samples.push({ predicts: i + 1, backendBytes: backendBytes(), rss: process.memoryUsage().rss });
  }
  model.dispose();
  return samples;
}

function report(name: string, samples: readonly Sample[]): string {
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  const pick = [samples[0]!, samples[Math.floor(samples.length / 10)]!, samples[Math.floor(samples.length / 2)]!, samples.at(-1)!];
  return `${name}: ${pick.map((s) => `after ${s.predicts}: backend ${s.backendBytes} B, rss ${mib(s.rss)} MiB`).join('; ')}`;
}

function expectFlat(name: string, samples: readonly Sample[]): void {
  const settled = samples.slice(Math.ceil(samples.length / 10));
  const first = settled[0]!;
  console.log(report(name, samples));
  expect(
    settled.map((s) => s.backendBytes),
    `${name}: backend memory after warm-up`,
  ).toEqual(settled.map(() => first.backendBytes));
  const peak = Math.max(...settled.map((s) => s.rss));
  expect(peak - first.rss, `${name}: resident memory growth after warm-up (bytes)`).toBeLessThan(RSS_SLACK);
}

describe.runIf(SOAK)(`soak: MobileNetV1 0.25-96, ${cpuPredicts} predictions on the CPU and ${gpuPredicts} on WebGPU`, () => {
  it(`CPU: ${cpuPredicts} predictions, heap bytes and resident memory flat after warm-up`, async () => {
    const backend: CpuBackend = await createCpuBackend({ threads: 2 });
    try {
      expectFlat('cpu', await soak(backend, cpuPredicts, () => backend.allocatedBytes));
    } finally {
      backend.dispose();
    }
  }, 3_600_000);

  it(`WebGPU: ${gpuPredicts} predictions, live buffer bytes and resident memory flat after warm-up`, async () => {
    const backend: WebGpuBackend = await createWebGpuBackend();
    try {
      expectFlat('webgpu', await soak(backend, gpuPredicts, () => backend.memory().liveBytes));
    } finally {
      backend.dispose();
    }
  }, 3_600_000);
});

describe.skipIf(SOAK)('soak', () => {
  it.skip('soak: not run, set SEPCONV_SOAK=1 (minutes: 10,000 CPU and 1,000 WebGPU predictions with memory sampled)', () => {});
});
