import {
  addGeometry,
  formatShape,
  HostTensor,
  isHostTensor,
  ShapeError,
  UnsupportedError,
  assertTensor,
  type Backend,
  type Tensor,
} from '@sepconv/tensor';
import { modelInput, type ModelSpec } from '@sepconv/graph';
import { referenceAdd, referenceSoftmax } from '@sepconv/tensor/reference';
import { inputToNhwc, outputToCaller } from './edge-layout.js';
import { stepInputs, stepWeights, type ModelPlan, type PlanStep, type Slot, type SoftmaxStep } from './model-plan.js';

/** A MobileNet (or any compiled model spec) bound to a backend, weights folded and uploaded. */
export interface Model {
  readonly spec: ModelSpec;
  readonly backend: Backend;
  /** The executable steps, each naming the spec layers it fuses (for summaries and tests). */
  readonly plan: ModelPlan;
  /**
   * Runs the whole network on the backend without reading back: every convolution, folded
   * batch norm, activation, average pooling and dense layer is a backend kernel, residual adds
   * use `backend.add`, a classifier's final softmax `backend.softmax` and its
   * `[batch, 1, 1, classes]` → `[batch, classes]` relabel `backend.reshape` (host arithmetic
   * for each when the backend lacks the capability and holds host tensors).
   * @param x NHWC `[batch, height, width, channels]` with the spec's height, width and
   * channels; any batch, 0 included. A spec with `layout: 'nchw'` takes a host tensor NCHW
   * `[batch, channels, height, width]` and returns rank-4 outputs NCHW (transposed on the host,
   * so such an output must come back through `predictAsync` on a device backend).
   * @returns the spec's output (`[batch, classes]` probabilities for a classifier) as the
   * backend's tensor; the caller disposes it.
   * @throws UnsupportedError when a step needs host data that lives on a device (a backend
   * without the optional `add`, `softmax` or `reshape` capability): use {@link Model.predictAsync}.
   */
  predict(x: Tensor): Tensor;
  /**
   * Like {@link Model.predict}, but reads the result back to the host (one read at the end;
   * a device backend without `add` also reads around each residual add), so it runs on every
   * backend. This is the call to time for a whole-network inference including the sync.
   */
  predictAsync(x: Tensor): Promise<HostTensor>;
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

/** Runs a {@link ModelPlan} on a backend. Created by `instantiate`. */
export class PlannedModel implements Model {
  private readonly deviceWeights = new Map<HostTensor, Tensor>();
  private readonly lastUse: Map<Slot, number>;
  private disposed = false;

  constructor(
    readonly spec: ModelSpec,
    readonly backend: Backend,
    readonly plan: ModelPlan,
  ) {
    // Weights go to the device once here, not on every call.
    if (canUpload(backend)) {
      for (const step of plan.steps) for (const weight of stepWeights(step)) this.deviceWeights.set(weight, backend.upload(weight));
    }
    this.lastUse = new Map();
    plan.steps.forEach((step, index) => {
      for (const slot of stepInputs(step)) this.lastUse.set(slot, index);
    });
  }

  predict(caller: Tensor): Tensor {
    const x = this.toLayers(caller);
    const values = this.start(x);
    for (const [index, step] of this.plan.steps.entries()) this.runStep(step, index, values, x);
    return outputToCaller(OP, this.spec, this.finish(values, x));
  }

  async predictAsync(caller: Tensor): Promise<HostTensor> {
    const x = this.toLayers(caller);
    const values = this.start(x);
    for (const [index, step] of this.plan.steps.entries()) {
      if (this.needsHost(step)) {
        for (const slot of stepInputs(step)) {
          const tensor = values.get(slot)!;
          if (!isHostTensor(tensor)) {
            const data = await this.backend.read(tensor);
            if (tensor !== x) tensor.dispose();
            values.set(slot, new HostTensor(data, tensor.shape));
          }
        }
      }
      this.runStep(step, index, values, x);
    }
    const output = values.get(this.plan.output)!;
    const shape = this.outputShape(x);
    if (isHostTensor(output)) return outputToCaller(OP, this.spec, new HostTensor(output.data, shape)) as HostTensor;
    const data = await this.backend.read(output);
    if (output !== x) output.dispose();
    return outputToCaller(OP, this.spec, new HostTensor(data, shape)) as HostTensor;
  }

  /** The caller's input as the layers take it (NHWC): transposed once for an `'nchw'` model. */
  private toLayers(x: Tensor): Tensor {
    if (this.disposed) throw new UnsupportedError(OP, 'model', 'the model has been disposed');
    assertTensor(OP, 'x', x);
    return inputToNhwc(OP, this.spec, x);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const tensor of this.deviceWeights.values()) tensor.dispose();
    this.deviceWeights.clear();
  }

  private start(x: Tensor): Map<Slot, Tensor> {
    if (this.disposed) throw new UnsupportedError(OP, 'model', 'the model has been disposed');
    assertTensor(OP, 'x', x);
    const expected = modelInput(this.spec, OP).shape;
    if (x.shape.length !== 4 || x.shape.some((d, i) => i > 0 && d !== expected[i])) {
      throw new ShapeError(OP, 'x', `x must be [batch, ${expected.slice(1).join(', ')}] (NHWC), got ${formatShape(x.shape)}`);
    }
    return new Map([[0, x]]);
  }

  private outputShape(x: Tensor): number[] {
    return [x.shape[0]!, ...this.plan.slots[this.plan.output]!.logical.slice(1)];
  }

  private finish(values: Map<Slot, Tensor>, x: Tensor): Tensor {
    const output = values.get(this.plan.output)!;
    const shape = this.outputShape(x);
    if (output.shape.length === shape.length && output.shape.every((d, i) => d === shape[i])) return output;
    if (isHostTensor(output)) return new HostTensor(output.data, shape);
    if (this.backend.reshape !== undefined) {
      const reshaped = this.backend.reshape(output, shape);
      if (output !== x) output.dispose();
      return reshaped;
    }
    throw new UnsupportedError(OP, 'x', `the output ${formatShape(shape)} is held as ${formatShape(output.shape)} on '${output.location}', which this backend cannot reshape without a read: use predictAsync`);
  }

  private needsHost(step: PlanStep): boolean {
    if (step.kind === 'softmax') return !this.softmaxOnBackend(step);
    return step.kind === 'add' && this.backend.add === undefined;
  }

  /**
   * Whether a softmax step runs on the backend: it needs `softmax`, and `reshape` too when the
   * tensor's last axis is not the logical last axis (a softmax after a flatten).
   */
  private softmaxOnBackend(step: SoftmaxStep): boolean {
    if (this.backend.softmax === undefined) return false;
    const physical = this.plan.slots[step.input]!.physical;
    const logical = this.plan.slots[step.output]!.logical;
    return physical[physical.length - 1] === logical[logical.length - 1] || this.backend.reshape !== undefined;
  }

  private weight(weight: HostTensor): Tensor;
  private weight(weight: HostTensor | undefined): Tensor | undefined;
  private weight(weight: HostTensor | undefined): Tensor | undefined {
    return weight === undefined ? undefined : (this.deviceWeights.get(weight) ?? weight);
  }

  private hostData(step: PlanStep, tensor: Tensor): Float32Array {
    if (!isHostTensor(tensor)) {
      throw new UnsupportedError(OP, step.layers[0]!, `layer '${step.layers[0]}' runs on the host, but its input is on '${tensor.location}': use predictAsync`);
    }
    return tensor.data;
  }

  /** The host fallback of `Backend.add` (a backend without the capability, host tensors). */
  private hostAdd(step: PlanStep & { kind: 'add' }, a: Tensor, b: Tensor): HostTensor {
    const geometry = addGeometry(a, b, { activation: step.activation });
    return new HostTensor(referenceAdd(this.hostData(step, a), this.hostData(step, b), geometry), geometry.shape);
  }

  /** The host fallback of `Backend.softmax`, over rows of `features` (the logical last axis). */
  private hostSoftmax(step: PlanStep, input: Tensor, features: number): HostTensor {
    const geometry = { shape: input.shape, rows: input.size / features, rowLength: features };
    return new HostTensor(referenceSoftmax(this.hostData(step, input), geometry), input.shape);
  }

  private runStep(step: PlanStep, index: number, values: Map<Slot, Tensor>, x: Tensor): void {
    const inputOf = (slot: Slot): Tensor => values.get(slot)!;
    let result: Tensor;
    switch (step.kind) {
      case 'conv': {
        const options = {
          strides: [step.strides[0], step.strides[1]] as [number, number],
          dilations: [step.dilations[0], step.dilations[1]] as [number, number],
          padding: step.padding,
          bias: this.weight(step.bias),
          activation: step.activation,
        };
        result = this.backend[step.op](inputOf(step.input), this.weight(step.filter), options);
        break;
      }
      case 'separable':
        result = this.backend.separableConv2d(inputOf(step.input), this.weight(step.depthwiseFilter), this.weight(step.pointwiseFilter), {
          strides: [step.strides[0], step.strides[1]],
          dilations: [step.dilations[0], step.dilations[1]],
          padding: step.padding,
          depthwiseBias: this.weight(step.depthwiseBias),
          depthwiseActivation: step.depthwiseActivation,
          bias: this.weight(step.bias),
          activation: step.activation,
        });
        break;
      case 'add': {
        const [a, b] = [inputOf(step.inputs[0]), inputOf(step.inputs[1])];
        result = this.backend.add
          ? this.backend.add(a, b, { activation: step.activation })
          : this.hostAdd(step, a, b);
        break;
      }
      case 'softmax': {
        const input = inputOf(step.input);
        const logical = this.plan.slots[step.output]!.logical;
        const features = logical[logical.length - 1]!;
        if (this.backend.softmax !== undefined && this.softmaxOnBackend(step)) {
          if (input.shape[input.shape.length - 1] === features) {
            result = this.backend.softmax(input);
          } else {
            // The softmax axis spans several physical axes: give the rows their own axis first.
            const rows = this.backend.reshape!(input, [input.size / features, features]);
            result = this.backend.softmax(rows);
            rows.dispose();
          }
          break;
        }
        result = this.hostSoftmax(step, input, features);
        break;
      }
      case 'relabel':
        // Tensors keep their NHWC layout; the logical shape is applied when the result leaves.
        result = inputOf(step.input);
        break;
    }
    values.set(step.output, result);
    // Free each intermediate after its last reader; a relabel hands on its input's tensor.
    for (const slot of stepInputs(step)) {
      if (this.lastUse.get(slot) !== index) continue;
      const tensor = values.get(slot)!;
      values.delete(slot);
      if (tensor !== x && ![...values.values()].includes(tensor)) tensor.dispose();
    }
  }
}
