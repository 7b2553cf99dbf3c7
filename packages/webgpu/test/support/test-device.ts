import { describe, inject, it } from 'vitest';
import { requestWebGpuDevice } from '../../src/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** True when SEPCONV_REQUIRE_GPU=1 (CI): a missing adapter must fail the run. */
    requireGpu: boolean;
  }
}

/** A device for one test file, or why there is none. */
export type TestGpu = { readonly device: GPUDevice; readonly reason?: undefined } | { readonly device?: undefined; readonly reason: string };

/**
 * Requests one device for a whole test file (device creation costs 35–100 ms). When
 * SEPCONV_REQUIRE_GPU=1 a failure throws, failing the file; otherwise the reason is returned
 * so the file can report, in a test title, that its GPU tests did not run.
 */
export async function acquireTestDevice(): Promise<TestGpu> {
  try {
    return { device: await requestWebGpuDevice() };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (inject('requireGpu')) throw new Error(`SEPCONV_REQUIRE_GPU=1 but no WebGPU device could be created: ${reason}`);
    // The skipped test's title says it too, but reporters list skipped tests only when asked.
    console.warn(`\n*** NO WEBGPU ADAPTER: this file's GPU tests are NOT run (SEPCONV_REQUIRE_GPU=1 makes this a failure) ***\n${reason}\n`);
    return { reason };
  }
}

/**
 * `describe` for tests that need a GPU: with a device it runs `body`; without one it
 * registers a single skipped test whose title says loudly that the GPU tests were not run and why.
 */
export function describeGpu(title: string, gpu: TestGpu, body: (device: GPUDevice) => void): void {
  if (gpu.device) {
    const device = gpu.device;
    describe(title, () => body(device));
  } else {
    describe(title, () => {
      it.skip(`NO WEBGPU ADAPTER — these GPU tests were NOT run (set SEPCONV_REQUIRE_GPU=1 to fail instead): ${gpu.reason}`, () => {});
    });
  }
}
