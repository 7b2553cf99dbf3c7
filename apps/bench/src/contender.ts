import type { CaseInputs } from './cases/case-inputs.js';
import type { LayerCase } from './cases/layer-case.js';

/**
 * One engine configuration the bench measures, e.g. `@sepconv/cpu` with 2 threads or
 * `onnxruntime-node`. Each lives in its own file under `src/contenders/` and is listed once
 * in `src/contenders/index.ts`.
 */
export interface Contender {
  /** Unique, shown in the table and used by `--contenders`, e.g. `tfjs-wasm`. */
  readonly name: string;
  readonly kind: 'cpu' | 'gpu';
  /** `sepconv` for this project's backends, `peer` for the engines they are compared with. */
  readonly role: 'sepconv' | 'peer';
  /** Worker threads the engine computes with; picks the device profile its roofline uses. */
  readonly threads: number;
  /** npm package measured, whose version goes in the results. */
  readonly packageName: string;
  /**
   * Starts the engine (loads wasm, creates a backend or a worker pool). Throwing marks the
   * contender unavailable for the run, with the message as the reason; the run goes on.
   */
  init?(): Promise<void>;
  /** Whether this contender runs the case; a string is the reason it does not. */
  supports?(layerCase: LayerCase): true | string;
  /**
   * Prepares one case: uploads the input, builds models, packs weights. Nothing here is
   * timed. `inputs` are the same seeded tensors for every contender.
   */
  setup(layerCase: LayerCase, inputs: CaseInputs): Promise<PreparedRunner>;
  /** Ends what `init` started (workers, devices) so the process can exit. */
  close?(): Promise<void>;
}

/** A case set up on one contender, ready to be timed again and again. */
export interface PreparedRunner {
  /**
   * Runs the layer once and resolves when its result is complete and readable on the host
   * (device sync and readback included), so wall-clock time around it is honest.
   */
  run(): Promise<void>;
  /**
   * `wall`: the harness times `run()` with `performance.now()` (the default).
   * `gpu-timestamp`: `run()` resolves with GPU timestamps recorded; see `lastGpuSeconds`.
   */
  readonly timing?: 'gpu-timestamp' | 'wall';
  /** With `timing: 'gpu-timestamp'`, the GPU time of the last `run()` in seconds. */
  lastGpuSeconds?(): number;
  /** Untimed work before each timed `run()`, e.g. making this engine tfjs's active backend. */
  beforeRun?(): Promise<void>;
  /** The last run's output, NHWC, for the cross-check between contenders. */
  output(): Promise<Float32Array>;
  dispose(): Promise<void> | void;
}
