/**
 * `@sepconv/mobilenet`: MobileNet V1/V2 as plain data (`src/spec/`), and running them on any
 * sepconv backend (`src/runtime/`).
 */
export * from './spec/index.js';
export * from './runtime/index.js';
export * from './weights/index.js';
export * from './image/index.js';
