import type { HostTensor } from '@sepconv/tensor';
import type { BuiltNetwork, NetworkCase } from './network-case.js';

/** One engine configuration for whole networks (the network counterpart of `Contender`). */
export interface NetworkContender {
  readonly name: string;
  readonly kind: 'cpu' | 'gpu';
  readonly role: 'sepconv' | 'peer';
  /** Threads it computes with; picks the device profile of the roofline. */
  readonly threads: number;
  readonly packageName: string;
  /**
   * `'int8'`: it runs the network quantized (its own int8 arithmetic), so its output is checked
   * against the first int8 contender of the case (bit-identical across sepconv backends), not
   * the float reference, and its roofline counts int8 bytes and operations. Default float32.
   */
  readonly dtype?: 'int8' | undefined;
  /**
   * The output check's tolerance as a fraction of the reference output's largest magnitude;
   * default float32's (1e-3 of the larger of 1 and that magnitude). An engine with its own int8 rounding (ONNX Runtime) is close to sepconv's int8, not equal.
   */
  readonly checkTolerance?: number | undefined;
  /** Starts the engine; throwing marks it unavailable for the run, with the reason. */
  init?(): Promise<void>;
  /** Whether it runs the case; a string says why not (e.g. too slow for the scaling series). */
  supports?(networkCase: NetworkCase): true | string;
  /** Builds the network and uploads weights and input; not timed. */
  setup(networkCase: NetworkCase, network: BuiltNetwork, input: HostTensor): Promise<NetworkRunner>;
  close?(): Promise<void>;
}

/** A network set up on one contender. */
export interface NetworkRunner {
  /** One inference, resolved when the output is on the host (device sync and readback included). */
  run(): Promise<void>;
  /** Untimed work before each timed run (making tfjs's backend active). */
  beforeRun?(): Promise<void>;
  /** Seconds its setup spent tuning (sepconv's `instantiate(…, { tune })`), part of the time to first result. */
  readonly tuneSeconds?: number | undefined;
  /**
   * Seconds its setup spent quantizing the float network (calibration and bias correction), work an
   * application does once, offline, before it ships the int8 model: left out of the time to first result.
   */
  readonly quantizeSeconds?: number | undefined;
  /** The last run's output, flat NHWC. */
  output(): Promise<Float32Array>;
  dispose(): Promise<void> | void;
}
