/**
 * Where each layer target comes from: sepconv's own performance goals, set by the project
 * when it planned its CPU backend — not an outside standard or a peer's claim. A `NO` in the
 * table means this run missed the project's goal, nothing more. The key is what a
 * `TargetResult` names in `goal`; the text is printed under the Targets table.
 */
export const TARGET_GOALS = {
  'depthwise-vs-tfjs-wasm': 'depthwise, the op this project is for: twice the WebAssembly engine a web app would use (tfjs-wasm)',
  'depthwise-vs-native': 'depthwise in WebAssembly at least as fast as a native engine (onnxruntime-node) on one thread',
  'matmul-vs-tfjs-wasm': 'pointwise and standard are matrix products tfjs-wasm (XNNPACK) does well: no slower than it',
  'two-threads': 'a second thread gives ≥ 1.7× on these compute-bound layers (85% parallel efficiency)',
  'two-threads-depthwise': 'depthwise layers are small and memory-bound, but a second thread must never make one slower (≥ 1×)',
  'pointwise-gflops': "≈ 70% of one core's WebAssembly SIMD peak (≈ 49 GFLOP/s on the machine the goal was set on)",
  fusion: 'fusing keeps the depthwise output in cache instead of writing and re-reading it: ≥ 1.2×',
  'separable-saving': 'measured close to the theory 1/N + 1/D_K² (0.119 for N = 128, D_K = 3), allowing for overheads',
} as const satisfies Record<string, string>;

/** A key of {@link TARGET_GOALS}. */
export type TargetGoal = keyof typeof TARGET_GOALS;
