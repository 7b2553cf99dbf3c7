import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    // Leaves the bin (built alongside by the second config) in place.
    clean: ['!cli.js', '!cli.js.map'],
    sourcemap: true,
    target: 'es2022',
  },
  {
    // The `sepconv-cost` bin: src/cli.ts starts with `#!/usr/bin/env node`, which esbuild keeps
    // and tsup marks executable. @sepconv/* is bundled in so the bin also runs inside the
    // workspace, where those packages export TypeScript sources; commander stays a dependency.
    entry: ['src/cli.ts'],
    format: ['esm'],
    clean: false,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    noExternal: [/^@sepconv\//],
  },
]);
