import type { Backend } from '@sepconv/tensor';

/** What the page learns of the backend a worker created: what to show a user about where a model runs. */
export interface BackendSummary {
  /** `backend.name`, e.g. `'cpu'` or `'webgpu'`. */
  readonly name: string;
  /** The CPU backend's threads, the calling (worker) thread included. */
  readonly threads?: number | undefined;
  /** The CPU backend's instruction set, e.g. `'wasmrelaxedsimd'`. */
  readonly isa?: string | undefined;
  /** The WebGPU backend's adapter, e.g. `'google swiftshader'`, where the browser tells. */
  readonly adapter?: string | undefined;
  /** The backend's notes (the CPU backend's say why it fell back to one thread). */
  readonly notes: readonly string[];
}

interface DescribedBackend {
  readonly threads?: unknown;
  readonly isa?: unknown;
  readonly notes?: unknown;
  readonly device?: { readonly adapterInfo?: { readonly vendor?: string; readonly architecture?: string; readonly description?: string } };
}

/** Reads the optional facts the CPU and WebGPU backends expose, without importing either. */
export function summarizeBackend(backend: Backend): BackendSummary {
  const described = backend as Backend & DescribedBackend;
  const info = described.device?.adapterInfo;
  const adapter = info
    ? [info.vendor, info.architecture, info.description].filter((part) => typeof part === 'string' && part.length > 0).join(' ')
    : '';
  return {
    name: backend.name,
    threads: typeof described.threads === 'number' ? described.threads : undefined,
    isa: typeof described.isa === 'string' ? described.isa : undefined,
    adapter: adapter.length > 0 ? adapter : undefined,
    notes: Array.isArray(described.notes) ? described.notes.filter((note): note is string => typeof note === 'string') : [],
  };
}
