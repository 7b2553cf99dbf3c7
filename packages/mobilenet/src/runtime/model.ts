import {
  assertTensor,
  canPrepareWeights,
  formatShape,
  HostTensor,
  isHostTensor,
  ShapeError,
  UnsupportedError,
  ValueError,
  type Backend,
  type Tensor,
} from '@sepconv/tensor';
import type { ModelSpec } from '@sepconv/graph';
import { inputToNhwc, outputToCaller } from './edge-layout.js';
import { stepWeights, type ModelPlan, type PlanStep, type Slot } from './model-plan.js';
import type { TuningReport } from '../tuning/tuning-report.js';
import { needsHost, runStep, type RunContext } from './step-runners.js';
import { stepKernelCalls } from './step-kernel-calls.js';

/** What `predict` takes: the input tensor of a one-input model, or every input by name. */
export type ModelInputs = Tensor | Readonly<Record<string, Tensor>>;

/** What `predict` returns: the output tensor of a one-output model, or every output by name. */
export type ModelOutputs<T extends Tensor = Tensor> = T | Record<string, T>;

/** A MobileNet (or any compiled model spec) bound to a backend, weights folded and uploaded. */
export interface Model {
  readonly spec: ModelSpec;
  readonly backend: Backend;
  /** The executable steps, each naming the spec layers it fuses (for summaries and tests). */
  readonly plan: ModelPlan;
  /** The names of the model's outputs, in the spec's order (the keys of a several-output result). */
  readonly outputs: readonly string[];
  /** The names of the model's inputs, in the spec's order. */
  readonly inputs: readonly string[];
  /**
   * What `instantiate(…, { tune })` measured and chose for each convolution step (see
   * `formatTuningReport`); undefined when the model was not tuned.
   */
  readonly tuning: TuningReport | undefined;
  /**
   * Runs the whole network on the backend without reading back: every convolution, folded
   * batch norm, activation, pooling and dense layer is a backend kernel, element-wise
   * operations, activations, concat, pad, pooling and resize the backend's optional
   * capabilities, a classifier's final softmax `backend.softmax` and its relabel
   * `backend.reshape` (host arithmetic for each when the backend lacks the capability and holds
   * host tensors). Every intermediate is disposed after its last reader.
   * @param x the input: NHWC `[batch, height, width, channels]` with the spec's height, width
   * and channels, any batch (0 included); a record by input name for a several-input model.
   * A spec with `layout: 'nchw'` takes a host tensor NCHW `[batch, channels, height, width]`
   * and returns rank-4 outputs NCHW (transposed on the host, so such an output must come back
   * through `predictAsync` on a device backend).
   * @returns the output as the backend's tensor (`[batch, classes]` probabilities for a
   * classifier), or a record by output name for a several-output model; the caller disposes them.
   * @throws ShapeError / ValueError naming `predict` and the input at fault;
   * UnsupportedError when a step needs host data that lives on a device (a backend without one
   * of the optional capabilities): use {@link Model.predictAsync}.
   */
  predict(x: ModelInputs): ModelOutputs;
  /**
   * Like {@link Model.predict}, but reads the results back to the host (one read per output at
   * the end; a device backend without a capability also reads around that step), so it runs on
   * every backend. This is the call to time for a whole-network inference including the sync.
   */
  predictAsync(x: ModelInputs): Promise<ModelOutputs<HostTensor>>;
  /** Releases the weights uploaded to the backend (not the backend itself). Idempotent. */
  dispose(): void;
}

/** A backend that can place a host tensor on its device once (the WebGPU backend's `upload`). */
interface UploadingBackend extends Backend {
  upload(x: Tensor): Tensor;
}

function canUpload(backend: Backend): backend is UploadingBackend {
  return typeof (backend as Partial<UploadingBackend>).upload === 'function';
}

const OP = 'predict';

const isConvolution = (step: PlanStep): step is Extract<PlanStep, { kind: 'conv' | 'separable' }> =>
  step.kind === 'conv' || step.kind === 'separable';

/** Runs a {@link ModelPlan} on a backend. Created by `instantiate`. */
export class PlannedModel implements Model {
  readonly outputs: readonly string[];
  readonly inputs: readonly string[];
  private readonly deviceWeights = new Map<HostTensor, Tensor>();
  private readonly context: RunContext;
  private disposed = false;
  private currentPlan: ModelPlan;
  private tuningReport: TuningReport | undefined;

  constructor(
    readonly spec: ModelSpec,
    readonly backend: Backend,
    plan: ModelPlan,
  ) {
    this.currentPlan = plan;
    // Weights go to the device once here, not on every call. A backend that prepares
    // convolution weights (the CPU backend packs them) reads only its prepared copy of those:
    // they stay host tensors, prepared below, and are not copied to the device as well.
    const prepares = canPrepareWeights(backend);
    if (canUpload(backend)) {
      for (const step of plan.steps) {
        if (prepares && isConvolution(step)) continue;
        for (const weight of stepWeights(step)) this.deviceWeights.set(weight, backend.upload(weight));
      }
    }
    this.outputs = plan.outputs.map((port) => port.name);
    this.inputs = plan.inputs.map((port) => port.name);
    this.context = { backend, slots: plan.slots, weight: (weight) => this.deviceWeights.get(weight) ?? weight };
    try {
      this.prepareWeights(plan);
    } catch (error) {
      // Out of backend memory, say: nothing uploaded or packed so far stays behind.
      this.dispose();
      throw error;
    }
  }

  /**
   * Has a backend that rearranges weights for its kernels do it for every convolution now,
   * once, so that the first predict runs as a steady-state one does (see
   * `WeightPreparingBackend`).
   */
  private prepareWeights(plan: ModelPlan): void {
    const backend = this.backend;
    if (!canPrepareWeights(backend)) return;
    for (const step of plan.steps) {
      if (!isConvolution(step)) continue;
      for (const call of stepKernelCalls(step, plan.slots[step.inputs[0]!]!.physical, this.context)) backend.prepareWeights(call);
    }
  }

  get plan(): ModelPlan {
    return this.currentPlan;
  }

  get tuning(): TuningReport | undefined {
    return this.tuningReport;
  }

  /** What tuning needs to run steps as this model does: the backend, its weights, the value shapes. */
  get runContext(): RunContext {
    return this.context;
  }

  /** Runs `plan` from now on: the same steps and weights with the variants tuning chose (see `tunePlan`). */
  useTuning(plan: ModelPlan, report: TuningReport): void {
    // Timing the candidates packed the weights for each; this is then a cache hit, unless a choice packs otherwise.
    this.prepareWeights(plan);
    this.currentPlan = plan;
    this.tuningReport = report;
  }

  predict(x: ModelInputs): ModelOutputs {
    const { values, given, batch } = this.start(x);
    const finished: Tensor[] = [];
    try {
      for (const [index, step] of this.plan.steps.entries()) this.runPlanStep(index, step, values, given);
      for (const port of this.plan.outputs) finished.push(this.finish(values.get(port.slot)!, port.slot, batch, given));
      return this.collect(finished.map((output) => outputToCaller(OP, this.spec, output)));
    } catch (error) {
      this.release([...values.values(), ...finished], given);
      throw error;
    }
  }

  async predictAsync(x: ModelInputs): Promise<ModelOutputs<HostTensor>> {
    const { values, given, batch } = this.start(x);
    try {
      for (const [index, step] of this.plan.steps.entries()) {
        if (needsHost(step, this.context)) {
          for (const slot of step.inputs) values.set(slot, await this.toHost(values.get(slot)!, values, given));
        }
        this.runPlanStep(index, step, values, given);
      }
      const results: HostTensor[] = [];
      for (const port of this.plan.outputs) {
        const output = await this.toHost(values.get(port.slot)!, values, given);
        results.push(outputToCaller(OP, this.spec, new HostTensor(output.data, this.outputShape(port.slot, batch))) as HostTensor);
      }
      return this.collect(results);
    } catch (error) {
      this.release(values.values(), given);
      throw error;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const tensor of this.deviceWeights.values()) tensor.dispose();
    this.deviceWeights.clear();
    const backend = this.backend;
    if (canPrepareWeights(backend)) {
      for (const step of this.plan.steps) if (isConvolution(step)) for (const weight of stepWeights(step)) backend.releaseWeights(weight);
    }
  }

  /** Checks the inputs and seeds the values with them. */
  private start(x: ModelInputs): { values: Map<Slot, Tensor>; given: Set<Tensor>; batch: number } {
    if (this.disposed) throw new UnsupportedError(OP, 'model', 'the model has been disposed');
    const byName = this.inputsByName(x);
    const values = new Map<Slot, Tensor>();
    let batch: number | undefined;
    for (const port of this.plan.inputs) {
      const argument = this.plan.inputs.length === 1 ? 'x' : `x.${port.name}`;
      assertTensor(OP, argument, byName.get(port.name));
      // An 'nchw' model (read from ONNX) takes its one input NCHW: transposed here, once.
      const tensor = inputToNhwc(OP, this.spec, byName.get(port.name)!);
      const expected = this.plan.slots[port.slot]!.logical;
      batch ??= tensor.shape[0];
      if (tensor.shape.length !== expected.length || tensor.shape.some((d, i) => (i === 0 ? d !== batch : d !== expected[i]))) {
        const layout = expected.length === 4 ? ' (NHWC)' : '';
        throw new ShapeError(
          OP,
          argument,
          `${argument} must be [${batch ?? 'batch'}, ${expected.slice(1).join(', ')}]${layout}, got ${formatShape(tensor.shape)}`.replace(
            `[${batch}, `,
            '[batch, ',
          ),
        );
      }
      values.set(port.slot, tensor);
    }
    return { values, given: new Set(byName.values()), batch: batch! };
  }

  private inputsByName(x: ModelInputs): Map<string, Tensor> {
    const names = this.inputs;
    const isRecord = typeof x === 'object' && x !== null && !('shape' in x && 'dtype' in x);
    if (!isRecord) {
      if (names.length !== 1) {
        throw new ValueError(
          OP,
          'x',
          `model '${this.spec.name}' has ${names.length} inputs: pass a record { ${names.map((n) => `${n}: Tensor`).join(', ')} }`,
        );
      }
      return new Map([[names[0]!, x as Tensor]]);
    }
    const record = x as Readonly<Record<string, Tensor>>;
    const unknown = Object.keys(record).filter((name) => !names.includes(name));
    const missing = names.filter((name) => !Object.hasOwn(record, name));
    if (unknown.length > 0 || missing.length > 0) {
      const parts = [
        ...(missing.length > 0 ? [`missing ${missing.map((n) => `'${n}'`).join(', ')}`] : []),
        ...(unknown.length > 0
          ? [
              `unknown ${unknown
                .slice(0, 8)
                .map((n) => `'${n}'`)
                .join(', ')}`,
            ]
          : []),
      ];
      throw new ValueError(OP, 'x', `x must name the inputs ${names.map((n) => `'${n}'`).join(', ')}: ${parts.join('; ')}`);
    }
    return new Map(names.map((name) => [name, record[name]!]));
  }

  /** Frees what step `index` read for the last time (planned at compile time). */
  /** Runs step `index` on the values it reads, stores its output and frees what it read for the last time. */
  private runPlanStep(index: number, step: PlanStep, values: Map<Slot, Tensor>, given: ReadonlySet<Tensor>): void {
    values.set(
      step.output,
      runStep(
        step,
        step.inputs.map((slot) => values.get(slot)!),
        this.context,
      ),
    );
    this.free(index, values, given);
  }

  private free(index: number, values: Map<Slot, Tensor>, given: ReadonlySet<Tensor>): void {
    for (const slot of this.plan.frees[index]!) {
      const tensor = values.get(slot);
      values.delete(slot);
      // A relabel hands its input's tensor on: free it only when no live value holds it.
      if (tensor !== undefined && !given.has(tensor) && ![...values.values()].includes(tensor)) tensor.dispose();
    }
  }

  /**
   * After a failed run: frees what it had made (a step that threw, an output the caller's
   * layout cannot take), so a caught error leaves nothing on the device. Dispose is idempotent.
   */
  private release(made: Iterable<Tensor>, given: ReadonlySet<Tensor>): void {
    for (const tensor of made) if (!given.has(tensor)) tensor.dispose();
  }

  /** Reads a device tensor back (freeing the device copy unless the caller owns it). */
  private async toHost(tensor: Tensor, values: Map<Slot, Tensor>, given: ReadonlySet<Tensor>): Promise<HostTensor> {
    if (isHostTensor(tensor)) return tensor;
    const host = new HostTensor(await this.backend.read(tensor), tensor.shape);
    for (const [slot, value] of values) if (value === tensor) values.set(slot, host);
    if (!given.has(tensor)) tensor.dispose();
    return host;
  }

  private outputShape(slot: Slot, batch: number): number[] {
    return [batch, ...this.plan.slots[slot]!.logical.slice(1)];
  }

  /** An output in its logical shape (a relabelled `[batch, 1, 1, classes]` → `[batch, classes]`). */
  private finish(output: Tensor, slot: Slot, batch: number, given: ReadonlySet<Tensor>): Tensor {
    const shape = this.outputShape(slot, batch);
    if (output.shape.length === shape.length && output.shape.every((d, i) => d === shape[i])) return output;
    if (isHostTensor(output)) return new HostTensor(output.data, shape);
    if (this.backend.reshape !== undefined) {
      const reshaped = this.backend.reshape(output, shape);
      if (!given.has(output)) output.dispose();
      return reshaped;
    }
    throw new UnsupportedError(
      OP,
      'x',
      `the output ${formatShape(shape)} is held as ${formatShape(output.shape)} on '${output.location}', which this backend cannot reshape without a read: use predictAsync`,
    );
  }

  private collect<T extends Tensor>(results: readonly T[]): ModelOutputs<T> {
    if (results.length === 1) return results[0]!;
    return Object.fromEntries(this.outputs.map((name, i) => [name, results[i]!]));
  }
}

/**
 * The tensor of a one-output model's result (`predict` and `predictAsync` return a record only
 * for a model with several outputs).
 * @throws ValueError naming the outputs when `outputs` is such a record.
 */
export function onlyOutput<T extends Tensor>(outputs: ModelOutputs<T>): T {
  if (typeof outputs === 'object' && outputs !== null && 'shape' in outputs && 'dtype' in outputs) return outputs as T;
  throw new ValueError(
    'onlyOutput',
    'outputs',
    `the model has several outputs (${Object.keys(outputs)
      .map((n) => `'${n}'`)
      .join(', ')}): pick one by name`,
  );
}
