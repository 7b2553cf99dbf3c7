/**
 * The vitest settings every package shares. Workspace packages export `src/` during
 * development (their `publishConfig.exports` point at `dist/` when packed), so tests run
 * from source without a build. When `SEPCONV_TEST_REPORT_DIR` is set (by `.ci/run`) each project also writes vitest's JSON
 * report there, which `.ci/run` sums into its `N passed, N failed` line.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

/** The Vulkan driver file of SwiftShader, shipped by Debian's `chromium` package. */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Whether this machine has a GPU the Vulkan loader can reach (an NVIDIA device, or a DRM render
 * node): then Dawn finds it through the installed drivers, and pointing `VK_ICD_FILENAMES` at
 * SwiftShader would hide it.
 */
export function hasGpuDeviceNode(): boolean {
  if (existsSync('/dev/nvidia0')) return true;
  try {
    return readdirSync('/dev/dri').some((name) => name.startsWith('renderD'));
  } catch {
    return false;
  }
}

/**
 * For a config whose tests run WebGPU in Node (Dawn): Dawn reads `VK_ICD_FILENAMES` and
 * `XDG_RUNTIME_DIR` when it creates its Vulkan instance, in the worker processes the config's
 * main process starts, so they are set there, never in a test file (CONTRIBUTING.md,
 * toolchain). Without a GPU ({@link hasGpuDeviceNode}), SwiftShader is the adapter; values already set are kept.
 */
export function useSwiftShaderWithoutGpu(): void {
  if (process.env.VK_ICD_FILENAMES === undefined && !hasGpuDeviceNode() && existsSync(SWIFTSHADER_ICD))
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
}

export function sepconvVitestConfig(reportName: string, overrides: ViteUserConfig = {}): ViteUserConfig {
  const reportDir = process.env.SEPCONV_TEST_REPORT_DIR;
  const base = defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      // Tests assert behaviour, never speed: generous limits so a busy 2-core machine (CI, or
      // several suites at once) cannot fail a test by being slow.
      testTimeout: 60_000,
      hookTimeout: 180_000,
      reporters: reportDir ? ['default', ['json', { outputFile: join(resolve(reportDir), `${reportName}.json`) }]] : ['default'],
    },
  });
  return mergeConfig(base, overrides);
}
