import {
  HostTensor,
  outputShape,
  separableConv2dGeometry,
  type Backend,
  type Conv2dOptions,
  type ConvActivation,
  type KernelCall,
  type Tensor,
} from '@sepconv/tensor';
import { UNFUSED_VARIANT, type ConvStep, type SeparableStep } from './model-plan.js';
import type { RunContext } from './step-runners.js';

const pair = (value: readonly [number, number]): [number, number] => [value[0], value[1]];

/** The window options a step's backend call takes: strides, dilations and padding. */
function windowOptions(step: ConvStep | SeparableStep): Pick<Conv2dOptions, 'strides' | 'dilations' | 'padding'> {
  return { strides: pair(step.strides), dilations: pair(step.dilations), padding: step.padding };
}

/** A convolution step as the backend call that runs it on `x` (the variant tuning chose, if any), adding `residual` when it has one. */
export function convCall(step: ConvStep, x: Tensor, ctx: RunContext, residual?: Tensor): KernelCall {
  return {
    op: step.op,
    x,
    filter: ctx.weight(step.filter),
    options: {
      ...windowOptions(step),
      bias: step.bias && ctx.weight(step.bias),
      activation: step.activation as ConvActivation,
      ...(residual === undefined ? {} : { residual }),
      ...(step.variant === undefined ? {} : { variant: step.variant }),
    },
  };
}

/** A separable step as the backend's separable kernel on `x` (the variant tuning chose, if any; never {@link UNFUSED_VARIANT}). */
export function separableCall(step: SeparableStep, x: Tensor, ctx: RunContext, residual?: Tensor): KernelCall {
  return {
    op: 'separableConv2d',
    x,
    depthwiseFilter: ctx.weight(step.depthwiseFilter),
    pointwiseFilter: ctx.weight(step.pointwiseFilter),
    options: {
      ...windowOptions(step),
      depthwiseBias: step.depthwiseBias && ctx.weight(step.depthwiseBias),
      depthwiseActivation: step.depthwiseActivation as ConvActivation,
      bias: step.bias && ctx.weight(step.bias),
      activation: step.activation as ConvActivation,
      ...(residual === undefined ? {} : { residual }),
      ...(step.variant === undefined || step.variant === UNFUSED_VARIANT ? {} : { variant: step.variant }),
    },
  };
}

/** The depthwise call of a separable step run as two ({@link UNFUSED_VARIANT}). */
export function unfusedDepthwiseCall(step: SeparableStep, x: Tensor, ctx: RunContext): KernelCall {
  return {
    op: 'depthwiseConv2d',
    x,
    filter: ctx.weight(step.depthwiseFilter),
    options: {
      ...windowOptions(step),
      bias: step.depthwiseBias && ctx.weight(step.depthwiseBias),
      activation: step.depthwiseActivation as ConvActivation,
    },
  };
}

/** The pointwise call of a separable step run as two, on the depthwise call's result `intermediate`. */
export function unfusedPointwiseCall(step: SeparableStep, intermediate: Tensor, ctx: RunContext, residual?: Tensor): KernelCall {
  return {
    op: 'pointwiseConv2d',
    x: intermediate,
    filter: ctx.weight(step.pointwiseFilter),
    options: {
      bias: step.bias && ctx.weight(step.bias),
      activation: step.activation as ConvActivation,
      ...(residual === undefined ? {} : { residual }),
    },
  };
}

/** Runs a kernel call on `backend`. */
export function runKernelCall(backend: Backend, call: KernelCall): Tensor {
  return call.op === 'separableConv2d'
    ? backend.separableConv2d(call.x, call.depthwiseFilter, call.pointwiseFilter, call.options)
    : backend[call.op](call.x, call.filter, call.options);
}

/**
 * Every backend call a convolution or separable step makes, on an input of `shape` with batch 0
 * (the calls are for preparing weights: only their shapes, weights and options matter), the two
 * calls of a separable step run {@link UNFUSED_VARIANT} included.
 */
export function stepKernelCalls(step: ConvStep | SeparableStep, shape: readonly number[], ctx: RunContext): KernelCall[] {
  const x = new HostTensor(new Float32Array(0), [0, ...shape.slice(1)]);
  if (step.kind === 'conv') return [convCall(step, x, ctx)];
  if (step.variant !== UNFUSED_VARIANT) return [separableCall(step, x, ctx)];
  const fused = separableCall(step, x, ctx) as Extract<KernelCall, { op: 'separableConv2d' }>;
  const geometry = separableConv2dGeometry(x, fused.depthwiseFilter, fused.pointwiseFilter, fused.options);
  const intermediate = new HostTensor(new Float32Array(0), outputShape(geometry.depthwise));
  return [unfusedDepthwiseCall(step, x, ctx), unfusedPointwiseCall(step, intermediate, ctx)];
}
