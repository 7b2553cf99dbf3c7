import { defineConfig } from 'tsup';

export default defineConfig({
  // The `sepconv-cost` bin: src/cli.ts starts with `#!/usr/bin/env node`, which esbuild keeps
  // and tsup marks executable. @sepconv/* is bundled in so the bin also runs inside the
  // workspace, where those packages export TypeScript sources; commander stays external. The
  // bundled packages stay in `dependencies` so that a release of any of them (changesets
  // bumps dependents) also releases a bin built from it.
  entry: ['src/cli.ts'],
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  noExternal: [/^@sepconv\//],
});
