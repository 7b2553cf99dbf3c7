import { HostTensor, isHostTensor, UnsupportedError, type Backend, type Tensor } from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { UNFUSED_VARIANT, type PlanStep, type SlotShape, type StepKind } from './model-plan.js';
import { convCall, runKernelCall, separableCall, unfusedDepthwiseCall, unfusedPointwiseCall } from './step-kernel-calls.js';

/** The optional Backend capabilities a step may need. */
export type Capability = 'add' | 'sub' | 'mul' | 'div' | 'activation' | 'concat' | 'pad' | 'pool2d' | 'globalPool2d' | 'resizeBilinear' | 'softmax';

/** What a runner sees: the backend, its copies of the weights, and the plan's value shapes. */
export interface RunContext {
  readonly backend: Backend;
  /** The backend's copy of a weight (uploaded once), or the host tensor itself. */
  weight(weight: HostTensor): Tensor;
  readonly slots: readonly SlotShape[];
}

type StepOf<K extends StepKind> = Extract<PlanStep, { kind: K }>;

/**
 * What a step needs of the backend: a capability, nothing (the convolutions every Backend has,
 * relabels), or `'host'` when it can only run on host data on this backend.
 */
type Need = Capability | 'host' | undefined;

/** Runs one step of kind `K` on its input tensors. */
interface StepRunner<K extends StepKind> {
  need(step: StepOf<K>, ctx: RunContext): Need;
  run(step: StepOf<K>, inputs: readonly Tensor[], ctx: RunContext): Tensor;
}

const OP = 'predict';

// The host fallback for a capability a backend lacks while its tensors are host tensors: the
// reference kernels, which validate their input and accumulate in float64.
let hostBackend: Backend | undefined;

/**
 * The backend's implementation of a capability, or the host fallback when the backend lacks it
 * and every input is a host tensor.
 * @throws UnsupportedError naming the step's layer when the input lives on a device: a read is
 * needed (predictAsync does it).
 */
export function capable<C extends Capability>(ctx: RunContext, capability: C, step: PlanStep, inputs: readonly Tensor[]): NonNullable<Backend[C]> {
  const own = ctx.backend[capability];
  if (own !== undefined) return (own as (...args: never[]) => Tensor).bind(ctx.backend) as NonNullable<Backend[C]>;
  const remote = inputs.find((t) => !isHostTensor(t));
  if (remote !== undefined) {
    throw new UnsupportedError(
      OP,
      step.layers[0]!,
      `layer '${step.layers[0]}' needs '${capability}', which backend '${ctx.backend.name}' lacks, and its input is on '${remote.location}': use predictAsync`,
    );
  }
  hostBackend ??= createReferenceBackend();
  return (hostBackend[capability] as (...args: never[]) => Tensor).bind(hostBackend) as NonNullable<Backend[C]>;
}

/** A weight for a capability op: the device copy when the backend runs it, the host tensor on the fallback. */
function operand(ctx: RunContext, capability: Capability, weight: HostTensor): Tensor {
  return ctx.backend[capability] !== undefined ? ctx.weight(weight) : weight;
}

const pair = (value: readonly [number, number]): [number, number] => [value[0], value[1]];

/** A separable step as two calls ({@link UNFUSED_VARIANT}): the intermediate is freed once the pointwise call has it. */
function runUnfused(step: StepOf<'separable'>, x: Tensor, residual: Tensor | undefined, ctx: RunContext): Tensor {
  const intermediate = runKernelCall(ctx.backend, unfusedDepthwiseCall(step, x, ctx));
  try {
    return runKernelCall(ctx.backend, unfusedPointwiseCall(step, intermediate, ctx, residual));
  } finally {
    if (intermediate !== x) intermediate.dispose();
  }
}

/** The length of a softmax's rows: the logical last axis. */
function softmaxRows(step: StepOf<'softmax'>, ctx: RunContext): number {
  const logical = ctx.slots[step.output]!.logical;
  return logical[logical.length - 1]!;
}

/**
 * How each step kind runs. `satisfies`: a step kind without a runner is a compile error.
 */
export const STEP_RUNNERS = {
  conv: {
    need: () => undefined,
    // A second input is the residual folded into the step (see ConvStep).
    run: (step, [x, residual], ctx) => runKernelCall(ctx.backend, convCall(step, x!, ctx, residual)),
  },
  separable: {
    need: () => undefined,
    run: (step, [x, residual], ctx) =>
      step.variant === UNFUSED_VARIANT ? runUnfused(step, x!, residual, ctx) : runKernelCall(ctx.backend, separableCall(step, x!, ctx, residual)),
  },
  binary: {
    need: (step) => step.op,
    run: (step, inputs, ctx) => {
      const run = capable(ctx, step.op, step, inputs);
      if (step.constant === undefined) return run(inputs[0]!, inputs[1]!, { activation: step.activation });
      const constant = operand(ctx, step.op, step.constant);
      return step.constantFirst
        ? run(constant, inputs[0]!, { activation: step.activation })
        : run(inputs[0]!, constant, { activation: step.activation });
    },
  },
  activation: {
    need: () => 'activation',
    run: (step, inputs, ctx) => capable(ctx, 'activation', step, inputs)(inputs[0]!, step.activation),
  },
  softmax: {
    need: (step, ctx) => {
      const held = ctx.slots[step.inputs[0]!]!.physical;
      const rowsSpanAxes = held[held.length - 1] !== softmaxRows(step, ctx);
      // Without reshape, a softmax over a flattened value cannot run on the device.
      return rowsSpanAxes && ctx.backend.reshape === undefined ? 'host' : 'softmax';
    },
    run: (step, [x], ctx) => {
      const features = softmaxRows(step, ctx);
      if (x!.shape[x!.shape.length - 1] === features) return capable(ctx, 'softmax', step, [x!])(x!);
      // The softmax axis spans several physical axes: give the rows their own axis first.
      if (isHostTensor(x!)) {
        const rows = capable(ctx, 'softmax', step, [x!])(new HostTensor(x!.data, [x!.size / features, features])) as HostTensor;
        return new HostTensor(rows.data, x!.shape);
      }
      const reshape = ctx.backend.reshape;
      if (reshape === undefined)
        throw new UnsupportedError(
          OP,
          step.layers[0]!,
          `softmax '${step.layers[0]}' over a flattened value needs 'reshape' on backend '${ctx.backend.name}': use predictAsync`,
        );
      const rows = reshape.call(ctx.backend, x!, [x!.size / features, features]);
      const result = capable(ctx, 'softmax', step, [rows])(rows);
      rows.dispose();
      return result;
    },
  },
  concat: {
    need: () => 'concat',
    run: (step, inputs, ctx) => capable(ctx, 'concat', step, inputs)(inputs, { axis: step.axis }),
  },
  pad: {
    need: () => 'pad',
    run: (step, [x], ctx) => capable(ctx, 'pad', step, [x!])(x!, step.padding, { value: step.value }),
  },
  pool: {
    need: () => 'pool2d',
    run: (step, [x], ctx) =>
      capable(ctx, 'pool2d', step, [x!])(x!, {
        type: step.type,
        kernelSize: pair(step.kernelSize),
        strides: pair(step.strides),
        padding: step.padding,
      }),
  },
  globalPool: {
    need: () => 'globalPool2d',
    run: (step, [x], ctx) => capable(ctx, 'globalPool2d', step, [x!])(x!, { type: step.type }),
  },
  resize: {
    need: () => 'resizeBilinear',
    run: (step, [x], ctx) =>
      capable(ctx, 'resizeBilinear', step, [x!])(x!, step.size, { alignCorners: step.alignCorners, halfPixelCenters: step.halfPixelCenters }),
  },
  relabel: {
    need: () => undefined,
    // Tensors keep their layout; the logical shape is applied when a result leaves the model.
    run: (_step, [x]) => x!,
  },
} satisfies { [K in StepKind]: StepRunner<K> };

/** Runs `step` on its inputs. */
export function runStep(step: PlanStep, inputs: readonly Tensor[], ctx: RunContext): Tensor {
  return (STEP_RUNNERS[step.kind] as StepRunner<StepKind>).run(step as never, inputs, ctx);
}

/** Whether `step` must have host inputs on this backend (it lacks the capability the step needs). */
export function needsHost(step: PlanStep, ctx: RunContext): boolean {
  const need = (STEP_RUNNERS[step.kind] as StepRunner<StepKind>).need(step as never, ctx);
  return need === 'host' || (need !== undefined && ctx.backend[need] === undefined);
}
