import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  // The bundled declarations use WebGPU's global types (GPUDevice, …); the bundler drops the
  // source's triple-slash reference, so it is put back here.
  dts: { banner: '/// <reference types="@webgpu/types" />' },
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
