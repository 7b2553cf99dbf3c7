import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Keep `node:os` / `node:worker_threads`: bundlers recognise the prefix as Node-only and do
  // not warn that a browser build leaves them out (the imports are guarded at run time).
  removeNodeProtocol: false,
});
