import { BackendError } from '@sepconv/tensor';
import type { CpuContext } from '../cpu-context.js';
import type { WasmRuntime } from '../wasm/wasm-runtime.js';

/** The WebAssembly runtime a wasm variant runs on; a backend that loaded none (JavaScript only) refuses the variant. */
export function requireWasmRuntime(ctx: CpuContext, op: string, variant: { readonly name: string }): WasmRuntime {
  if (!ctx.runtime) throw new BackendError(op, 'variant', `${variant.name} needs WebAssembly, which this backend did not load`);
  return ctx.runtime;
}
