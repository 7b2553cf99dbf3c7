/**
 * The vitest settings every package shares. Workspace packages export `src/` during
 * development (their `publishConfig.exports` point at `dist/` when packed), so tests run
 * from source without a build. When `SEPCONV_TEST_REPORT_DIR` is set (by `.ci/run`) each project also writes vitest's JSON
 * report there, which `.ci/run` sums into its `N passed, N failed` line.
 */
import { join, resolve } from 'node:path';
import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

export { useSwiftShaderWithoutGpu } from './swiftshader.shared.js';

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
