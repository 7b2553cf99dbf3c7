import type { BinaryKernelInputs, CapabilityKernelInputs, CapabilityName, KernelName, KernelTable, KernelVariant } from './backend.js';
import { binaryGeometry, type BinaryOp } from './binary-geometry.js';
import { concatGeometry } from './concat-geometry.js';
import { assertTensor, conv2dGeometry, depthwiseConv2dGeometry, pointwiseConv2dGeometry, separableConv2dGeometry } from './conv-geometry.js';
import { BackendError, UnsupportedError } from './errors.js';
import { globalPool2dGeometry } from './global-pool2d-geometry.js';
import { checkVariantOption, kernelCallGeometry, supportingVariants, type KernelCall, type TunableBackend } from './kernel-variants.js';
import { checkLoweringPreferences, type LoweringPreferences } from './lowering-preferences.js';
import type {
  Activation,
  BinaryOptions,
  ConcatOptions,
  Conv2dOptions,
  ExplicitPadding,
  GlobalPool2dOptions,
  PadOptions,
  Pool2dOptions,
  ResizeBilinearOptions,
  SeparableConv2dOptions,
} from './options.js';
import { padGeometry } from './pad-geometry.js';
import { pool2dGeometry } from './pool2d-geometry.js';
import { assertQuantizedTensor } from './assert-quantized-tensor.js';
import type { QuantizedCapabilitySignatures } from './quantized-backend.js';
import { QUANTIZED_CAPABILITY_INPUTS } from './quantized-capability-inputs.js';
import { HostQuantizedTensor, isHostQuantizedTensor, type QuantizedTensor } from './quantized-tensor.js';
import { reshapeGeometry } from './reshape-geometry.js';
import { resizeBilinearGeometry } from './resize-bilinear-geometry.js';
import type { GeometryOf } from './select-variant.js';
import { softmaxGeometry } from './softmax-geometry.js';
import type { Tensor } from './tensor.js';
import { TensorScopes, type AsyncTensorScope } from './tensor-scope.js';
import { unaryGeometry } from './unary-geometry.js';

/** An element-wise binary capability's row: all four are validated by one `binaryGeometry`. */
const binaryInputs =
  (op: BinaryOp) =>
  (a: Tensor, b: Tensor, options?: BinaryOptions): BinaryKernelInputs<Tensor> => ({ a, b, geometry: binaryGeometry(op, a, b, options) });

/**
 * One row per optional capability: from the method's arguments to its kernel's inputs, computing
 * the geometry (which validates them and throws the typed errors naming op and argument). Key
 * order is the order the methods are added to a backend.
 */
const CAPABILITY_INPUTS: {
  readonly [C in CapabilityName]: (...args: Parameters<CapabilitySignatures<Tensor>[C]>) => CapabilityKernelInputs<Tensor>[C];
} = {
  add: binaryInputs('add'),
  sub: binaryInputs('sub'),
  mul: binaryInputs('mul'),
  div: binaryInputs('div'),
  activation: (x, activation) => ({ x, geometry: unaryGeometry(x, activation) }),
  concat: (xs, options) => ({ xs, geometry: concatGeometry(xs, options) }),
  pad: (x, padding, options) => ({ x, geometry: padGeometry(x, padding, options) }),
  pool2d: (x, options) => ({ x, geometry: pool2dGeometry(x, options) }),
  globalPool2d: (x, options) => ({ x, geometry: globalPool2dGeometry(x, options) }),
  resizeBilinear: (x, size, options) => ({ x, geometry: resizeBilinearGeometry(x, size, options) }),
  softmax: (x) => ({ x, geometry: softmaxGeometry(x) }),
  reshape: (x, shape) => ({ x, geometry: reshapeGeometry(x, shape) }),
  upload: (x) => {
    assertTensor('upload', 'x', x);
    return { x };
  },
  ...QUANTIZED_CAPABILITY_INPUTS,
};

/** What a backend supplies to {@link defineBackend}; everything else is common to all backends. */
export interface BackendDefinition<
  Ctx,
  Out extends Tensor,
  K extends KernelTable<Ctx, Tensor, Out>,
  Extra extends object,
  Name extends string = string,
> {
  /** `Backend.name`, e.g. `'cpu'`. */
  readonly name: Name;
  /** How messages call the backend, e.g. `'WebGPU'` in "this WebGPU backend has been disposed"; default `name`. */
  readonly label?: string;
  /** The backend's state, passed to every kernel. */
  readonly context: Ctx;
  /** The kernels; optional capabilities (`add`, `sub`, …, `softmax`, `reshape`, `upload`) are exposed when present. */
  readonly kernels: K;
  /** `Backend.read`: copies `x` (a host tensor or one of this backend's) to the host. */
  read(context: Ctx, x: Tensor): Promise<Float32Array>;
  /**
   * `Backend.readQuantized` for the backend's own int8 tensors (host ones are copied without it):
   * their data, which `defineBackend` wraps with the shape and quantization. Required when the
   * kernel table declares int8 capabilities.
   */
  readQuantized?(context: Ctx, x: QuantizedTensor): Promise<Int8Array>;
  /** Releases the backend's resources; called once, by the first `dispose()`. */
  dispose?(context: Ctx): void;
  /**
   * Backend-specific members copied onto the result with their property descriptors, so getters
   * stay live (e.g. the CPU backend's `allocatedBytes`).
   */
  readonly extras?: Extra;
  /**
   * The kernel variants the convolutions dispatch among (for the CPU backend, the rows of its
   * instruction set), in dispatch order. With it (and `fingerprint`) the backend is a
   * `TunableBackend`: `kernelVariants(call)` lists the rows that run a call, and a call's
   * `options.variant` is checked against them before its kernel receives it as `inputs.variant`.
   */
  variants?(context: Ctx): readonly KernelVariant[];
  /** `TunableBackend.fingerprint`: what identifies the device for cached tuning results. */
  fingerprint?(context: Ctx): string;
  /**
   * `Backend.loweringPreferences`: how a model compiler should lower what can run more than one
   * way on this backend, set from measurements of its kernels; checked against the kernel table
   * (a preferred capability must be declared) and frozen. Default: none, the compiler's defaults.
   */
  readonly loweringPreferences?: LoweringPreferences;
  /**
   * `Backend.residualOps`: the convolutions whose kernels add `inputs.residual` (after the bias,
   * before the activation). Default none: `defineBackend` refuses `options.residual` on the
   * others with an UnsupportedError, so a kernel never silently drops one.
   */
  readonly residualOps?: readonly KernelName[];
}

/** The four required operations and the lifecycle, returning the backend's own tensor type `Out`. */
export interface DefinedBackendCore<Out extends Tensor, Name extends string = string> extends Partial<TunableBackend> {
  readonly name: Name;
  /** {@link Backend.loweringPreferences}: the definition's, frozen; absent when it gave none. */
  readonly loweringPreferences?: LoweringPreferences;
  /** {@link Backend.residualOps}: the convolutions that take `options.residual`. */
  readonly residualOps: readonly KernelName[];
  conv2d(x: Tensor, filter: Tensor, options?: Conv2dOptions): Out;
  depthwiseConv2d(x: Tensor, filter: Tensor, options?: Conv2dOptions): Out;
  pointwiseConv2d(x: Tensor, filter: Tensor, options?: Conv2dOptions): Out;
  separableConv2d(x: Tensor, depthwiseFilter: Tensor, pointwiseFilter: Tensor, options?: SeparableConv2dOptions): Out;
  read(x: Tensor): Promise<Float32Array>;
  /** `Backend.readQuantized`: host int8 tensors always, the backend's own when it has int8 kernels. */
  readQuantized(x: QuantizedTensor): Promise<HostQuantizedTensor>;
  dispose(): void;
  /** {@link Backend.scope}: disposes what `fn` created on this backend except what it returns. */
  scope<R>(fn: () => R): R;
  /** {@link Backend.scopeAsync}: the async form, for the tensors `fn` hands its scope. */
  scopeAsync<R>(fn: (scope: AsyncTensorScope) => Promise<R>): Promise<R>;
}

/** The signature of each optional capability, returning the backend's tensor type `Out` (int8 ones a `QuantizedTensor`). */
export interface CapabilitySignatures<Out extends Tensor> extends QuantizedCapabilitySignatures<Out> {
  add(a: Tensor, b: Tensor, options?: BinaryOptions): Out;
  sub(a: Tensor, b: Tensor, options?: BinaryOptions): Out;
  mul(a: Tensor, b: Tensor, options?: BinaryOptions): Out;
  div(a: Tensor, b: Tensor, options?: BinaryOptions): Out;
  activation(x: Tensor, activation: Activation): Out;
  concat(xs: readonly Tensor[], options?: ConcatOptions): Out;
  pad(x: Tensor, padding: ExplicitPadding, options?: PadOptions): Out;
  pool2d(x: Tensor, options: Pool2dOptions): Out;
  globalPool2d(x: Tensor, options: GlobalPool2dOptions): Out;
  resizeBilinear(x: Tensor, size: readonly [number, number], options?: ResizeBilinearOptions): Out;
  softmax(x: Tensor): Out;
  reshape(x: Tensor, shape: readonly number[]): Out;
  upload(x: Tensor): Out;
}

/** The optional methods a kernel table `K` declares, typed with the backend's tensor type `Out`. */
export type DefinedCapabilities<Out extends Tensor, K> = Pick<CapabilitySignatures<Out>, Extract<keyof K, CapabilityName>>;

/** What {@link defineBackend} returns: a `Backend` whose capabilities are exactly those its kernel table declares. */
export type DefinedBackend<Out extends Tensor, K, Extra extends object = object, Name extends string = string> = DefinedBackendCore<Out, Name> &
  // NoInfer: a contextual return type that extends Backend (whose optional methods return Tensor)
  // must not widen Out; Out comes from the kernels and the required methods.
  DefinedCapabilities<NoInfer<Out>, K> &
  Extra;

/**
 * The one backend entry point: turns a kernel table into a {@link Backend}. Every call runs
 * validate → geometry (the `*Geometry` functions, which throw the typed errors naming op and
 * argument) → the disposed check (a `BackendError` naming the op) → the kernel, so a backend
 * supplies only its kernels, `read` and `dispose`. An optional capability (the element-wise,
 * concat, pad, pooling and resize operations, `softmax`, `reshape`, `upload`) becomes a method
 * exactly when the kernel table declares it.
 *
 * ```ts
 * export const kernels = { conv2d, depthwiseConv2d, pointwiseConv2d, separableConv2d, add } satisfies KernelTable<Ctx, Tensor, MyTensor>;
 * const backend = defineBackend({ name: 'mine', context, kernels, read: (ctx, x) => ctx.read(x) });
 * ```
 */
export function defineBackend<
  Ctx,
  Out extends Tensor,
  K extends KernelTable<Ctx, Tensor, Out>,
  Extra extends object = object,
  Name extends string = string,
>(
  definition: BackendDefinition<Ctx, Out, K, Extra, Name> & Required<Pick<BackendDefinition<Ctx, Out, K, Extra, Name>, 'variants' | 'fingerprint'>>,
): DefinedBackend<Out, K, Extra, Name> & TunableBackend;
export function defineBackend<
  Ctx,
  Out extends Tensor,
  K extends KernelTable<Ctx, Tensor, Out>,
  Extra extends object = object,
  Name extends string = string,
>(definition: BackendDefinition<Ctx, Out, K, Extra, Name>): DefinedBackend<Out, K, Extra, Name>;
export function defineBackend<
  Ctx,
  Out extends Tensor,
  K extends KernelTable<Ctx, Tensor, Out>,
  Extra extends object = object,
  Name extends string = string,
>(definition: BackendDefinition<Ctx, Out, K, Extra, Name>): DefinedBackend<Out, K, Extra, Name> {
  const { name, context: ctx, kernels } = definition;
  const loweringPreferences =
    definition.loweringPreferences &&
    checkLoweringPreferences('defineBackend', definition.loweringPreferences, (capability) => typeof kernels[capability] === 'function');
  let disposed = false;
  // Every tensor an operation returns passes through here, so a scope knows what its block created.
  const scopes = new TensorScopes();
  const live = (op: string): void => {
    if (disposed) throw new BackendError(op, 'backend', `this ${definition.label ?? name} backend has been disposed`);
  };
  const variants = definition.variants && ((): readonly KernelVariant[] => definition.variants!(ctx));
  const chosenVariant = <Op extends KernelName>(op: Op, geometry: GeometryOf<Op>, name: unknown): string | undefined =>
    checkVariantOption(op, variants?.(), geometry, name, definition.name);
  const residualOps: readonly KernelName[] = Object.freeze([...(definition.residualOps ?? [])]);
  const residualOf = (op: KernelName, residual: Tensor | undefined): Tensor | undefined => {
    if (residual !== undefined && !residualOps.includes(op)) {
      throw new UnsupportedError(
        op,
        'options.residual',
        `options.residual cannot be honoured: this ${definition.label ?? name} backend does not add a residual in ${op} (run add after it)`,
      );
    }
    return residual;
  };
  const backend: DefinedBackendCore<Out, Name> & Partial<Record<CapabilityName, unknown>> & Partial<TunableBackend> = {
    name,
    ...(loweringPreferences ? { loweringPreferences } : {}),
    residualOps,
    conv2d(x, filter, options = {}) {
      const geometry = conv2dGeometry(x, filter, options);
      const variant = chosenVariant('conv2d', geometry, options.variant);
      const residual = residualOf('conv2d', options.residual);
      live('conv2d');
      return scopes.track(kernels.conv2d(ctx, { x, filter, bias: options.bias, residual, geometry, variant }));
    },
    depthwiseConv2d(x, filter, options = {}) {
      const geometry = depthwiseConv2dGeometry(x, filter, options);
      const variant = chosenVariant('depthwiseConv2d', geometry, options.variant);
      const residual = residualOf('depthwiseConv2d', options.residual);
      live('depthwiseConv2d');
      return scopes.track(kernels.depthwiseConv2d(ctx, { x, filter, bias: options.bias, residual, geometry, variant }));
    },
    pointwiseConv2d(x, filter, options = {}) {
      const geometry = pointwiseConv2dGeometry(x, filter, options);
      const variant = chosenVariant('pointwiseConv2d', geometry, options.variant);
      const residual = residualOf('pointwiseConv2d', options.residual);
      live('pointwiseConv2d');
      return scopes.track(kernels.pointwiseConv2d(ctx, { x, filter, bias: options.bias, residual, geometry, variant }));
    },
    separableConv2d(x, depthwiseFilter, pointwiseFilter, options = {}) {
      const geometry = separableConv2dGeometry(x, depthwiseFilter, pointwiseFilter, options);
      const variant = chosenVariant('separableConv2d', geometry, options.variant);
      const residual = residualOf('separableConv2d', options.residual);
      live('separableConv2d');
      const { depthwiseBias, bias } = options;
      return scopes.track(kernels.separableConv2d(ctx, { x, depthwiseFilter, pointwiseFilter, depthwiseBias, bias, residual, geometry, variant }));
    },
    read: async (x) => {
      // A disposed tensor, host or the backend's own, is refused here as ops refuse it: every backend alike.
      assertTensor('read', 'x', x);
      return definition.read(ctx, x);
    },
    readQuantized: async (x) => {
      assertQuantizedTensor('readQuantized', 'x', x);
      if (isHostQuantizedTensor(x)) return new HostQuantizedTensor(x.data.slice(), x.shape, x.quantization);
      if (!definition.readQuantized) {
        throw new UnsupportedError('readQuantized', 'x', `this ${definition.label ?? name} backend has no int8 tensors, got one on '${x.location}'`);
      }
      return new HostQuantizedTensor(await definition.readQuantized(ctx, x), x.shape, x.quantization);
    },
    scope: (fn) => scopes.scope(fn),
    scopeAsync: (fn) => scopes.scopeAsync(fn),
    dispose() {
      if (disposed) return;
      disposed = true;
      definition.dispose?.(ctx);
    },
  };
  // One loop wires every capability the kernel table declares; CAPABILITY_INPUTS says, per
  // capability, how its arguments are validated (the typed errors come first) and packed. The
  // casts join a row and a kernel of the same name, which TypeScript cannot correlate in a loop.
  for (const op of Object.keys(CAPABILITY_INPUTS) as CapabilityName[]) {
    const kernel = kernels[op] as ((ctx: Ctx, inputs: unknown) => Out) | undefined;
    if (!kernel) continue;
    const inputs = CAPABILITY_INPUTS[op] as (...args: unknown[]) => unknown;
    backend[op] = (...args: unknown[]): Out => {
      const validated = inputs(...args);
      live(op);
      return scopes.track(kernel(ctx, validated));
    };
  }
  if (variants && definition.fingerprint) {
    const fingerprint = definition.fingerprint;
    backend.kernelVariants = (call: KernelCall) => {
      const geometry = kernelCallGeometry(call);
      // The call's own options.variant is checked too: kernelVariants accepts what the op would.
      chosenVariant(call.op, geometry as never, call.options?.variant);
      return supportingVariants(variants(), call.op, geometry as never);
    };
    backend.fingerprint = () => fingerprint(ctx);
  }
  if (definition.extras) Object.defineProperties(backend, Object.getOwnPropertyDescriptors(definition.extras));
  return backend as DefinedBackend<Out, K, Extra, Name>;
}
