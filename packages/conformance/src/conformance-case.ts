import type { Activation, KernelName, Padding } from '@sepconv/tensor';

/**
 * One conformance case as plain data: an op, the shapes of its inputs and its options.
 * Inputs are filled from `seed`; `scale` widens the input range so that activations clip.
 */
export interface ConformanceCase {
  readonly name: string;
  readonly op: KernelName;
  /** NHWC input shape. */
  readonly xShape: readonly [number, number, number, number];
  /** conv2d `[KH, KW, Cin, Cout]`, depthwise `[KH, KW, C, M]`, pointwise `[Cin, Cout]`; for separable the depthwise filter. */
  readonly filterShape: readonly number[];
  /** Separable only: `[C·M, Cout]`. */
  readonly pointwiseFilterShape?: readonly number[] | undefined;
  readonly strides?: number | [number, number] | undefined;
  readonly dilations?: number | [number, number] | undefined;
  readonly padding?: Padding | undefined;
  readonly bias?: boolean | undefined;
  readonly activation?: Activation | undefined;
  /** Separable only. */
  readonly depthwiseBias?: boolean | undefined;
  /** Separable only. */
  readonly depthwiseActivation?: Activation | undefined;
  /** Adds `options.residual`, a random tensor of the output's shape (in [-scale, scale]), before the activation. */
  readonly residual?: boolean | undefined;
  readonly seed: number;
  /** Inputs are uniform in [-scale, scale]; default 1. */
  readonly scale?: number | undefined;
}
