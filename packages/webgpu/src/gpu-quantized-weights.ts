import type { QuantizedConvWeights } from '@sepconv/tensor';
import { TENSOR_USAGE } from './gpu-constants.js';
import { packChannelRecords, packWeightsPerElement, packWeightWords } from './pack-quantized-conv-weights.js';
import type { WebGpuContext } from './webgpu-context.js';

/** How a program reads its weights: one int32 per weight, or 4 int8 per word (`pack-quantized-conv-weights.ts`). */
export type QuantizedWeightLayout = 'perElement' | 'words';

/** A weights object's buffers on one device: the per-channel records, and the weights in each layout asked for so far. */
interface GpuQuantizedWeights {
  readonly channels: GPUBuffer;
  readonly layouts: Map<QuantizedWeightLayout, GPUBuffer>;
}

// Per backend, then per weights object: packed once and uploaded once, reused by every call with
// the same QuantizedConvWeights; a collected weights object takes its entry with it, and the
// backend's dispose() destroys the buffers.
const cacheByContext = new WeakMap<WebGpuContext, WeakMap<QuantizedConvWeights, GpuQuantizedWeights>>();
const buffersByContext = new WeakMap<WebGpuContext, GPUBuffer[]>();

/** A buffer owned by the backend (destroyed by its dispose) holding `data`: weights and lookup tables, uploaded once. */
export function uploadOwned(ctx: WebGpuContext, label: string, data: Int32Array | Uint32Array): GPUBuffer {
  const buffer = ctx.device.createBuffer({ label, size: Math.max(16, Math.ceil(data.byteLength / 16) * 16), usage: TENSOR_USAGE });
  if (data.byteLength > 0) ctx.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  let owned = buffersByContext.get(ctx);
  if (!owned) {
    const list: GPUBuffer[] = [];
    buffersByContext.set(ctx, list);
    ctx.onDispose(() => {
      for (const b of list) b.destroy();
    });
    owned = list;
  }
  owned.push(buffer);
  return buffer;
}

/** The device buffers of `weights` for a program reading `layout`: `[channels records, weights]`, packed and uploaded on first use. */
export function gpuQuantizedWeights(ctx: WebGpuContext, weights: QuantizedConvWeights, layout: QuantizedWeightLayout): [GPUBuffer, GPUBuffer] {
  let cache = cacheByContext.get(ctx);
  if (!cache) {
    cache = new WeakMap();
    cacheByContext.set(ctx, cache);
  }
  let entry = cache.get(weights);
  if (!entry) {
    entry = { channels: uploadOwned(ctx, `int8 ${weights.kind} channels`, packChannelRecords(weights)), layouts: new Map() };
    cache.set(weights, entry);
  }
  let packed = entry.layouts.get(layout);
  if (!packed) {
    packed = uploadOwned(ctx, `int8 ${weights.kind} weights`, layout === 'words' ? packWeightWords(weights) : packWeightsPerElement(weights));
    entry.layouts.set(layout, packed);
  }
  return [entry.channels, packed];
}
