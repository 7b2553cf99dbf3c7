// A tunable backend for testing the tuner without timing noise: the reference backend's
// results, a fake clock that each convolution advances by its variant's cost, and a variant
// list per op. Calls are counted so tests can see what tuning ran.
import {
  checkVariantOption,
  conv2dGeometry,
  depthwiseConv2dGeometry,
  pointwiseConv2dGeometry,
  separableConv2dGeometry,
  supportingVariants,
} from '@sepconv/tensor';
import type { Backend, Conv2dGeometry, KernelCall, KernelName, KernelVariant, Tensor, TunableBackend } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';

export interface TimedFakeBackend extends Backend {
  kernelVariants: TunableBackend['kernelVariants'];
  fingerprint: TunableBackend['fingerprint'];
  /** The fake clock, in milliseconds. */
  readonly clock: { now: number };
  /** Convolution calls made, by variant name (`default` when none was asked for). */
  readonly calls: Map<string, number>;
}

/** Variant rows: two depthwise, two pointwise, one standard, one separable. */
export const FAKE_VARIANTS: readonly KernelVariant[] = [
  { name: 'dw-3x3', op: 'depthwiseConv2d', supports: (g: Conv2dGeometry) => g.kernelHeight === 3 },
  { name: 'dw-generic', op: 'depthwiseConv2d', supports: () => true },
  { name: 'pw-a', op: 'pointwiseConv2d', supports: () => true },
  { name: 'pw-b', op: 'pointwiseConv2d', supports: () => true },
  { name: 'conv-only', op: 'conv2d', supports: () => true },
  { name: 'sep-fused', op: 'separableConv2d', supports: () => true },
];

/** Milliseconds per call of each variant: the tuner should find dw-generic, pw-b and (for separable) 'unfused'. */
export const FAKE_COSTS: Readonly<Record<string, number>> = { 'dw-3x3': 2, 'dw-generic': 1, 'pw-a': 3, 'pw-b': 1, 'conv-only': 4, 'sep-fused': 10 };

/** `costs` overrides {@link FAKE_COSTS} per variant. */
export function createTimedFakeBackend(fingerprint = 'fake device 1', costs: Readonly<Record<string, number>> = {}): TimedFakeBackend {
  const reference = createReferenceBackend();
  const clock = { now: 0 };
  const calls = new Map<string, number>();
  const charge = <Op extends KernelName>(op: Op, geometry: never, variant: string | undefined): void => {
    const name = checkVariantOption(op, FAKE_VARIANTS, geometry, variant, 'fake') ?? supportingVariants(FAKE_VARIANTS, op, geometry)[0]!;
    clock.now += costs[name] ?? FAKE_COSTS[name]!;
    calls.set(variant ?? 'default', (calls.get(variant ?? 'default') ?? 0) + 1);
  };
  const strip = <O extends { variant?: string | undefined }>(options: O | undefined): O => ({ ...(options ?? ({} as O)), variant: undefined });
  return {
    ...reference,
    name: 'timed-fake',
    // Global pooling as the reference's globalPool2d step, as on the CPU: a classifier after it
    // stays a pointwise step of its own (a pool lowered to a depthwise conv would fuse with it),
    // so tests see the pointwise variants tuned.
    loweringPreferences: { globalAveragePool: 'globalPool2d' },
    clock,
    calls,
    fingerprint: () => fingerprint,
    kernelVariants(call: KernelCall) {
      const geometry =
        call.op === 'separableConv2d'
          ? separableConv2dGeometry(call.x, call.depthwiseFilter, call.pointwiseFilter, call.options)
          : { conv2d: conv2dGeometry, depthwiseConv2d: depthwiseConv2dGeometry, pointwiseConv2d: pointwiseConv2dGeometry }[call.op](
              call.x,
              call.filter,
              call.options,
            );
      return supportingVariants(FAKE_VARIANTS, call.op, geometry as never);
    },
    conv2d(x: Tensor, filter: Tensor, options) {
      charge('conv2d', conv2dGeometry(x, filter, options) as never, options?.variant);
      return reference.conv2d(x, filter, strip(options));
    },
    depthwiseConv2d(x: Tensor, filter: Tensor, options) {
      charge('depthwiseConv2d', depthwiseConv2dGeometry(x, filter, options) as never, options?.variant);
      return reference.depthwiseConv2d(x, filter, strip(options));
    },
    pointwiseConv2d(x: Tensor, filter: Tensor, options) {
      charge('pointwiseConv2d', pointwiseConv2dGeometry(x, filter, options) as never, options?.variant);
      return reference.pointwiseConv2d(x, filter, strip(options));
    },
    separableConv2d(x: Tensor, depthwiseFilter: Tensor, pointwiseFilter: Tensor, options) {
      charge('separableConv2d', separableConv2dGeometry(x, depthwiseFilter, pointwiseFilter, options) as never, options?.variant);
      return reference.separableConv2d(x, depthwiseFilter, pointwiseFilter, strip(options));
    },
  };
}
