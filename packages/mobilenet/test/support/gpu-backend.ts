// One WebGPU backend per test file, or the reason there is none (SEPCONV_REQUIRE_GPU=1 turns
// a missing adapter into a failure, as CI wants).
import type { Backend } from '@sepconv/tensor';
import { createWebGpuBackend } from '@sepconv/webgpu';

export type TestGpuBackend = { readonly backend: Backend; readonly reason?: undefined } | { readonly backend?: undefined; readonly reason: string };

export async function acquireWebGpuBackend(): Promise<TestGpuBackend> {
  try {
    return { backend: await createWebGpuBackend() };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.SEPCONV_REQUIRE_GPU === '1') throw new Error(`SEPCONV_REQUIRE_GPU=1 but no WebGPU backend could be created: ${reason}`);
    return { reason };
  }
}
