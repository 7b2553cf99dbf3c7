import type { QuantizedLookupTable } from '@sepconv/tensor';
import { uploadOwned } from './gpu-quantized-weights.js';
import { packInt8Words } from './int8-buffers.js';
import type { WebGpuContext } from './webgpu-context.js';

// Per backend, then per table: packed (64 words) and uploaded once, reused by every call with the
// same QuantizedLookupTable; a collected table takes its entry with it, and the backend's
// dispose() destroys the buffers.
const cacheByContext = new WeakMap<WebGpuContext, WeakMap<QuantizedLookupTable, GPUBuffer>>();

/** The device buffer of `table`'s 256 entries, 4 per word, uploaded on first use. */
export function gpuLookupTable(ctx: WebGpuContext, table: QuantizedLookupTable): GPUBuffer {
  let cache = cacheByContext.get(ctx);
  if (!cache) {
    cache = new WeakMap();
    cacheByContext.set(ctx, cache);
  }
  let buffer = cache.get(table);
  if (!buffer) {
    buffer = uploadOwned(ctx, 'int8 lookup table', packInt8Words(table.values));
    cache.set(table, buffer);
  }
  return buffer;
}
