import {
  addRequantization,
  assertTensor,
  formatShape,
  HostQuantizedTensor,
  HostTensor,
  isHostTensor,
  quantize,
  dequantize,
  ShapeError,
  UnsupportedError,
  ValueError,
  type Backend,
  type BinaryGeometry,
  type Tensor,
} from '@sepconv/tensor';
import {
  createReferenceBackend,
  referenceQuantizedAdd,
  referenceQuantizedConv2d,
  referenceQuantizedDepthwiseConv2d,
  referenceQuantizedPointwiseConv2d,
} from '@sepconv/tensor/reference';
import { inputToNhwc, outputToCaller } from '../runtime/edge-layout.js';
import type { Model, ModelInputs, ModelOutputs } from '../runtime/model.js';
import type { PlanStep, Slot } from '../runtime/model-plan.js';
import { runStep, type RunContext } from '../runtime/step-runners.js';
import type { QuantizedPlan, QuantizedStep } from './quantized-plan.js';
import type { QuantizedModelSpec } from './quantized-model-spec.js';

const OP = 'predict';

type Value = HostTensor | HostQuantizedTensor;

const INT8_CONVS = {
  conv2d: referenceQuantizedConv2d,
  depthwiseConv2d: referenceQuantizedDepthwiseConv2d,
  pointwiseConv2d: referenceQuantizedPointwiseConv2d,
};

/** Row-major strides of a shape (an operand that is not broadcast). */
function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(1);
  for (let axis = shape.length - 2; axis >= 0; axis--) out[axis] = out[axis + 1]! * shape[axis + 1]!;
  return out;
}

/**
 * A quantized model (from `quantizeModel` or a saved one) bound to a backend: int8 steps run
 * with TensorFlow Lite's integer arithmetic, float steps (the layers listed in
 * `spec.quantization.floatLayers`: softmax, hard-swish, …) on the host's reference kernels, so
 * the float results are the same on every backend. `predict` takes float inputs (quantized at
 * the input with the input's parameters) and returns float outputs (dequantized).
 */
export class Int8Model implements Model {
  readonly outputs: readonly string[];
  readonly inputs: readonly string[];
  private readonly host: RunContext;
  private disposed = false;

  constructor(
    readonly spec: QuantizedModelSpec,
    readonly backend: Backend,
    private readonly compiled: QuantizedPlan,
  ) {
    this.outputs = compiled.plan.outputs.map((port) => port.name);
    this.inputs = compiled.plan.inputs.map((port) => port.name);
    this.host = { backend: createReferenceBackend(), slots: compiled.plan.slots, weight: (weight) => weight };
  }

  get plan() {
    return this.compiled.plan;
  }

  predict(x: ModelInputs): ModelOutputs {
    if (this.disposed) throw new UnsupportedError(OP, 'model', 'the model has been disposed');
    const values = this.start(x);
    const batch = values.get(this.compiled.plan.inputs[0]!.slot)!.shape[0]!;
    for (const entry of this.compiled.steps) values.set(entry.step.output, this.run(entry, entry.step.inputs.map((slot) => values.get(slot)!)));
    const results = this.compiled.plan.outputs.map((port) => {
      const value = this.toFloat(values.get(port.slot)!);
      const logical = [batch, ...this.compiled.plan.slots[port.slot]!.logical.slice(1)];
      return outputToCaller(OP, this.spec, new HostTensor(value.data, logical)) as HostTensor;
    });
    return results.length === 1 ? results[0]! : Object.fromEntries(this.outputs.map((name, i) => [name, results[i]!]));
  }

  predictAsync(x: ModelInputs): Promise<ModelOutputs<HostTensor>> {
    try {
      return Promise.resolve(this.predict(x) as ModelOutputs<HostTensor>);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  dispose(): void {
    this.disposed = true;
  }

  private start(x: ModelInputs): Map<Slot, Value> {
    const names = this.inputs;
    const record: Readonly<Record<string, Tensor>> =
      typeof x === 'object' && x !== null && 'shape' in x && 'dtype' in x ? { [names[0]!]: x as Tensor } : (x as Readonly<Record<string, Tensor>>);
    if (names.length > 1 && record !== x) throw new ValueError(OP, 'x', `model '${this.spec.name}' has ${names.length} inputs: pass a record by input name`);
    const values = new Map<Slot, Value>();
    for (const port of this.compiled.plan.inputs) {
      const argument = names.length === 1 ? 'x' : `x.${port.name}`;
      const given = record[port.name];
      assertTensor(OP, argument, given);
      if (!isHostTensor(given)) throw new UnsupportedError(OP, argument, `a quantized model takes host tensors, got one on '${given.location}'`);
      const tensor = inputToNhwc(OP, this.spec, given) as HostTensor;
      const expected = this.compiled.plan.slots[port.slot]!.logical;
      if (tensor.shape.length !== expected.length || tensor.shape.some((d, i) => i > 0 && d !== expected[i])) {
        throw new ShapeError(OP, argument, `${argument} must be [batch, ${expected.slice(1).join(', ')}], got ${formatShape(tensor.shape)}`);
      }
      values.set(port.slot, tensor);
    }
    return values;
  }

  private toInt8(value: Value, slot: Slot): HostQuantizedTensor {
    return value instanceof HostQuantizedTensor ? value : quantize(value, this.compiled.params[slot]!);
  }

  private toFloat(value: Value): HostTensor {
    return value instanceof HostQuantizedTensor ? dequantize(value) : value;
  }

  private run(entry: QuantizedStep, inputs: readonly Value[]): Value {
    const { step } = entry;
    if (step.kind === 'relabel') return inputs[0]!;
    if (entry.mode === 'float') return runStep(step, inputs.map((value) => this.toFloat(value)), this.host) as HostTensor;
    const int8 = inputs.map((value, i) => this.toInt8(value, step.inputs[i]!));
    const output = this.compiled.params[step.output]!;
    if (step.kind === 'conv' && entry.conv) {
      const { geometry, requantization } = entry.conv.prepare(int8[0]!.shape[0]!);
      const data = INT8_CONVS[step.op](int8[0]!.data, entry.conv.filter, entry.conv.bias, geometry, requantization);
      return new HostQuantizedTensor(data, [geometry.batch, geometry.outHeight, geometry.outWidth, geometry.outChannels], output);
    }
    if (step.kind === 'binary') return this.add(step, int8[0]!, int8[1]!, output);
    throw new UnsupportedError(OP, step.layers[0]!, `layer '${step.layers[0]}' (${step.kind}) has no int8 kernel`);
  }

  private add(step: PlanStep & { kind: 'binary' }, a: HostQuantizedTensor, b: HostQuantizedTensor, output: HostQuantizedTensor['quantization']): HostQuantizedTensor {
    if (formatShape(a.shape) !== formatShape(b.shape)) {
      throw new UnsupportedError(OP, step.layers[0]!, `int8 add '${step.layers[0]}' needs equal shapes, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    }
    const geometry: BinaryGeometry = {
      op: 'add',
      shape: a.shape,
      size: a.size,
      aShape: a.shape,
      bShape: b.shape,
      aStrides: strides(a.shape),
      bStrides: strides(b.shape),
      activation: step.activation,
    };
    const requantization = addRequantization(a.quantization, b.quantization, output, step.activation, OP);
    return new HostQuantizedTensor(referenceQuantizedAdd(a.data, b.data, geometry, requantization), a.shape, output);
  }
}
