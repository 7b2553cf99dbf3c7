import type { GpuProgram } from './gpu-program.js';

/** A compiled program and the outcome of its compilation, known asynchronously. */
export interface CachedPipeline {
  readonly pipeline: GPUComputePipeline;
  /** Resolves to the compiler's or validator's error message, or `undefined` when it compiled. */
  readonly failure: Promise<string | undefined>;
}

// Per device, so two backends on one device share compiled programs, and a lost or
// collected device takes its pipelines with it.
const pipelinesByDevice = new WeakMap<GPUDevice, Map<string, CachedPipeline>>();

/**
 * The pipeline of `program` on `device`, compiled on first use and cached by the program's
 * cache key. Compilation is synchronous to the caller; errors (WGSL that does not compile, a
 * layout the device rejects) arrive through `failure`, so a backend can report them as a
 * typed error instead of running a broken pipeline.
 */
export function cachedPipeline(device: GPUDevice, program: GpuProgram): CachedPipeline {
  let pipelines = pipelinesByDevice.get(device);
  if (!pipelines) {
    pipelines = new Map();
    pipelinesByDevice.set(device, pipelines);
  }
  const cached = pipelines.get(program.cacheKey);
  if (cached) return cached;
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label: program.name, code: program.wgsl() });
  const pipeline = device.createComputePipeline({ label: program.name, layout: 'auto', compute: { module, entryPoint: 'main' } });
  const scope = device.popErrorScope();
  const failure = Promise.all([module.getCompilationInfo(), scope]).then(([info, error]) => {
    const messages = info.messages
      .filter((message) => message.type === 'error')
      .map((message) => `line ${message.lineNum}:${message.linePos}: ${message.message}`);
    if (messages.length > 0) return messages.join('; ');
    return error ? error.message : undefined;
  });
  const entry = { pipeline, failure };
  pipelines.set(program.cacheKey, entry);
  return entry;
}

/** How many pipelines are cached for `device` (for tests and diagnostics). */
export function cachedPipelineCount(device: GPUDevice): number {
  return pipelinesByDevice.get(device)?.size ?? 0;
}
