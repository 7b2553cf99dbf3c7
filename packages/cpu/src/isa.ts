import { relaxedSimd, relaxedSimdShared, simd, simdShared } from './generated/wasm-binaries.js';

/**
 * An instruction set a kernel variant is written for: WebAssembly with relaxed SIMD (fused
 * multiply-add), WebAssembly SIMD128, or plain JavaScript for runtimes without SIMD.
 */
export type Isa = 'wasmrelaxedsimd' | 'wasmsimd' | 'js';

/** Every ISA, fastest first: the order dispatch prefers them in. */
export const ISAS: readonly Isa[] = ['wasmrelaxedsimd', 'wasmsimd', 'js'];

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** True where shared WebAssembly memory (and so a worker pool) is available. */
export function hasSharedMemory(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof WebAssembly === 'undefined') return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

/** The kernel binary for an ISA, with or without shared memory. */
export function wasmBinary(isa: Exclude<Isa, 'js'>, shared: boolean): Uint8Array<ArrayBuffer> {
  if (isa === 'wasmrelaxedsimd') return decode(shared ? relaxedSimdShared : relaxedSimd);
  return decode(shared ? simdShared : simd);
}

let detected: Map<Isa, string | undefined> | undefined;

/**
 * Which ISAs this runtime runs, each mapped to `undefined` when available or to the reason
 * it is not. Relaxed SIMD needs `--experimental-wasm-relaxed-simd` on Node 20 (on by
 * default in current browsers and Node 22+). Decided by validating the real binaries.
 */
export function isaSupport(): ReadonlyMap<Isa, string | undefined> {
  if (detected) return detected;
  detected = new Map();
  const wasm = typeof WebAssembly !== 'undefined';
  const shared = hasSharedMemory();
  detected.set(
    'wasmrelaxedsimd',
    !wasm
      ? 'no WebAssembly in this runtime'
      : WebAssembly.validate(wasmBinary('wasmrelaxedsimd', shared))
        ? undefined
        : 'this runtime has no WebAssembly relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd)',
  );
  detected.set(
    'wasmsimd',
    !wasm
      ? 'no WebAssembly in this runtime'
      : WebAssembly.validate(wasmBinary('wasmsimd', shared))
        ? undefined
        : 'this runtime has no WebAssembly SIMD',
  );
  detected.set('js', undefined);
  return detected;
}
