/**
 * The WebGPU flag values this package uses. The spec fixes them; they are spelled out here
 * because Node's `webgpu` package does not install `GPUBufferUsage` / `GPUMapMode` as
 * globals, and the backend must not depend on globals being present.
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
  QUERY_RESOLVE: 0x0200,
} as const;

/** `GPUMapMode.READ`. */
export const MAP_MODE_READ = 0x0001;

/** Usage of every tensor buffer: bound as storage, filled by uploads, copied out by reads. */
export const TENSOR_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC;
/** Usage of the per-dispatch `Params` buffers. */
export const UNIFORM_USAGE = BufferUsage.UNIFORM | BufferUsage.COPY_DST;
/** Usage of the staging buffers reads map. */
export const STAGING_USAGE = BufferUsage.MAP_READ | BufferUsage.COPY_DST;
