import { defineConfig } from 'tsup';

export default defineConfig({
  // cli.ts starts with a `#!/usr/bin/env node` line, which esbuild keeps and tsup marks executable.
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
