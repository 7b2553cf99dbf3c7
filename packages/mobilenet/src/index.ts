/**
 * `@sepconv/mobilenet`: MobileNet V1/V2 as plain data (`src/spec/`), and running them on any
 * sepconv backend (`src/runtime/`), read from model files (`src/weights/`, `src/load/`).
 *
 * @packageDocumentation
 */
export * from './spec/index.js';
export * from './runtime/index.js';
export * from './weights/index.js';
export * from './image/index.js';
export * from './load/index.js';
export * from './detection/index.js';
export * from './onnx/index.js';
export * from './classify/index.js';
export * from './worker/index.js';
export * from './quantize/index.js';
export * from './tuning/index.js';
