import { createRequire } from 'node:module';

type OrtWeb = typeof import('onnxruntime-web');

const require = createRequire(import.meta.url);
const instances = new Map<number, OrtWeb>();

/**
 * A copy of onnxruntime-web of its own, set to `threads` wasm threads. The thread count lives
 * in `ort.env.wasm` (onnxruntime-common's module state) and is read once, when the first
 * session starts the wasm runtime: one copy of the package runs at one thread count per
 * process. Loading the package (CommonJS in Node) afresh, its onnxruntime-common included,
 * gives each thread count its own `env` and wasm instance, so the 1- and 2-thread contenders
 * run interleaved in one process like every other pair.
 */
export function onnxruntimeWebInstance(threads: number): OrtWeb {
  let ort = instances.get(threads);
  if (ort) return ort;
  for (const path of Object.keys(require.cache)) if (/[\\/]onnxruntime-(web|common)[\\/]/.test(path)) delete require.cache[path];
  ort = require('onnxruntime-web') as OrtWeb;
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = 'error';
  instances.set(threads, ort);
  return ort;
}
