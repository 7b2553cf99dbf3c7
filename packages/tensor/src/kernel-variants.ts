import type { KernelName, KernelVariant } from './backend.js';
import { depthwiseConv2dGeometry, conv2dGeometry, pointwiseConv2dGeometry, separableConv2dGeometry } from './conv-geometry.js';
import type { Conv2dGeometry, SeparableConv2dGeometry } from './conv-geometry.js';
import { describeValue } from './describe-value.js';
import { UnsupportedError, ValueError } from './errors.js';
import type { Conv2dOptions, SeparableConv2dOptions } from './options.js';
import { variantSupports, type GeometryOf } from './select-variant.js';
import type { Tensor } from './tensor.js';

/**
 * One call of a convolution, as data: what {@link TunableBackend.kernelVariants} is asked
 * about. The arguments are those of the op of the same name on `Backend`.
 */
export type KernelCall =
  | {
      readonly op: Exclude<KernelName, 'separableConv2d'>;
      readonly x: Tensor;
      /** `[kernelHeight, kernelWidth, inChannels, outChannels]`; depthwise `[kernelHeight, kernelWidth, channels, multiplier]`; pointwise `[inChannels, outChannels]`. */
      readonly filter: Tensor;
      readonly options?: Conv2dOptions | undefined;
    }
  | {
      readonly op: 'separableConv2d';
      readonly x: Tensor;
      readonly depthwiseFilter: Tensor;
      readonly pointwiseFilter: Tensor;
      readonly options?: SeparableConv2dOptions | undefined;
    };

/**
 * The optional capabilities an autotuner uses (implemented by the CPU and WebGPU backends; the
 * reference backend has nothing to choose between, so it has neither):
 * - `kernelVariants(call)`: the names of the kernel variants that can run `call`, in the
 *   backend's dispatch order (the first is what the call runs without `options.variant`);
 * - `fingerprint()`: a string naming the device as far as timings depend on it (backend,
 *   instruction set and threads, or the GPU adapter), the key under which tuning results are
 *   cached.
 *
 * A call runs on a named variant with `options.variant` (on the four convolutions): an unknown
 * name is a ValueError, a variant that cannot run the call's geometry an UnsupportedError,
 * both naming the op and `options.variant`.
 */
export interface TunableBackend {
  /**
   * The variants that can run `call`, dispatch order first.
   * @throws the op's own typed errors when `call` is not a valid call of `call.op`; ValueError
   * naming `kernelVariants` and `call.op` for an op that is not a convolution.
   */
  kernelVariants(call: KernelCall): readonly string[];
  /** What identifies this device for cached timings, e.g. `cpu wasmrelaxedsimd 2 threads; AMD EPYC 9R45; node v20.20.0`. */
  fingerprint(): string;
}

/** Whether `backend` declares the {@link TunableBackend} capabilities. */
export function isTunable<B extends object>(backend: B): backend is B & TunableBackend {
  const candidate = backend as Partial<TunableBackend>;
  return typeof candidate.kernelVariants === 'function' && typeof candidate.fingerprint === 'function';
}

const KERNEL_NAMES: readonly KernelName[] = ['conv2d', 'depthwiseConv2d', 'pointwiseConv2d', 'separableConv2d'];

/**
 * The geometry of a {@link KernelCall}, validated as the op itself validates it.
 * @param op the method the call was given to, named by the errors about `call` itself.
 */
export function kernelCallGeometry(call: KernelCall, op = 'kernelVariants'): Conv2dGeometry | SeparableConv2dGeometry {
  if (typeof call !== 'object' || call === null)
    throw new ValueError(op, 'call', `call must be { op, x, filter(s), options? }, got ${describeValue(call)}`);
  switch (call.op) {
    case 'conv2d':
      return conv2dGeometry(call.x, call.filter, call.options);
    case 'depthwiseConv2d':
      return depthwiseConv2dGeometry(call.x, call.filter, call.options);
    case 'pointwiseConv2d':
      return pointwiseConv2dGeometry(call.x, call.filter, call.options);
    case 'separableConv2d':
      return separableConv2dGeometry(call.x, call.depthwiseFilter, call.pointwiseFilter, call.options);
    default:
      throw new ValueError(op, 'call.op', `call.op must be one of ${KERNEL_NAMES.join(', ')}, got ${describeValue((call as { op: unknown }).op)}`);
  }
}

/** The names of `variants` that run `op` on `geometry`, in list (dispatch) order. */
export function supportingVariants<Op extends KernelName>(variants: readonly KernelVariant[], op: Op, geometry: GeometryOf<Op>): string[] {
  return variants.filter((variant) => variantSupports(variant, op, geometry)).map((variant) => variant.name);
}

/**
 * Checks a call's `options.variant` against the variants a backend dispatches among
 * (`undefined` when it has none) and returns it.
 * @throws ValueError naming `op` and `options.variant` for a non-string or unknown name;
 * UnsupportedError when the backend has no variants or the named one runs another op or
 * cannot run `geometry`.
 */
export function checkVariantOption<Op extends KernelName>(
  op: Op,
  variants: readonly KernelVariant[] | undefined,
  geometry: GeometryOf<Op>,
  name: unknown,
  backendName: string,
): string | undefined {
  const argument = 'options.variant';
  if (name === undefined) return undefined;
  if (typeof name !== 'string') throw new ValueError(op, argument, `${argument} must be a kernel variant's name, got ${describeValue(name)}`);
  if (variants === undefined)
    throw new UnsupportedError(
      op,
      argument,
      `${argument} '${name}' cannot be honoured: backend '${backendName}' has no kernel variants to choose from`,
    );
  const variant = variants.find((v) => v.name === name);
  if (variant === undefined) {
    const ofOp = variants.filter((v) => v.op === op).map((v) => v.name);
    throw new ValueError(op, argument, `${argument} must be one of backend '${backendName}''s ${op} variants (${ofOp.join(', ')}), got '${name}'`);
  }
  if (variant.op !== op) throw new UnsupportedError(op, argument, `${argument} '${name}' is a ${variant.op} variant, not a ${op} one`);
  if (!variantSupports(variant, op, geometry)) {
    const fitting = supportingVariants(variants, op, geometry);
    throw new UnsupportedError(
      op,
      argument,
      `${argument} '${name}' cannot run this geometry; kernelVariants() lists those that can: ${fitting.join(', ') || 'none'}`,
    );
  }
  return name;
}
