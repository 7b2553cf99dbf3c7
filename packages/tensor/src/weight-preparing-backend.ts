import type { KernelCall } from './kernel-variants.js';
import type { Tensor } from './tensor.js';

/**
 * The optional capability of a backend that rearranges convolution weights before its kernels
 * read them (the CPU backend packs filters and biases into its micro-kernels' panel layouts):
 * `prepareWeights(call)` does now, once, what the first `call` would otherwise do inside the
 * call, so that a model's first prediction costs what a steady-state one does.
 *
 * `call` is the convolution as it will run — the same filter and bias tensor objects (prepared
 * weights are kept by tensor identity), the same `options`, `variant` included — on an input
 * `x` of the shape it will run on; its batch may be 0 (`x` is only measured, never read).
 * Calls with those weights then read the prepared form alone, so host weights need no
 * `upload` first. Preparing again is a cache hit. The prepared form lives until
 * `releaseWeights(filter)`, the filter's `dispose()`, or the backend's.
 */
export interface WeightPreparingBackend {
  /**
   * Prepares the weights `call` will read.
   * @throws the op's own typed errors when `call` is not a valid call of `call.op` (naming
   * `prepareWeights` for a malformed `call` itself).
   */
  prepareWeights(call: KernelCall): void;
  /** Frees what was prepared from `weight`; a tensor never prepared is a no-op. Idempotent. */
  releaseWeights(weight: Tensor): void;
}

/** Whether `backend` declares the {@link WeightPreparingBackend} capability. */
export function canPrepareWeights<B extends object>(backend: B): backend is B & WeightPreparingBackend {
  const candidate = backend as Partial<WeightPreparingBackend>;
  return typeof candidate.prepareWeights === 'function' && typeof candidate.releaseWeights === 'function';
}
