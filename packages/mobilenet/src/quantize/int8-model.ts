import {
  assertTensor,
  canPrepareQuantizedWeights,
  dequantize,
  formatShape,
  HostQuantizedTensor,
  HostTensor,
  isHostQuantizedTensor,
  isHostTensor,
  sameQuantParams,
  ShapeError,
  UnsupportedError,
  ValueError,
  type Backend,
  type ConvActivation,
  type QuantizedTensor,
  type QuantParams,
  type Tensor,
} from '@sepconv/tensor';
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { inputToNhwc, outputToCaller } from '../runtime/edge-layout.js';
import type { Model, ModelInputs, ModelOutputs } from '../runtime/model.js';
import type { ModelPlan, Slot, StepKind } from '../runtime/model-plan.js';
import { runStep, type RunContext } from '../runtime/step-runners.js';
import type { QuantizedModelSpec } from './quantized-model-spec.js';
import type { QuantizedPlan, QuantizedStep } from './quantized-plan.js';

const OP = 'predict';

/** A value of a quantized model: int8 (on the backend, or host) or float (host: float steps run there). */
type Value = Tensor | QuantizedTensor;

/** The backend's int8 capabilities this runtime calls. */
type Int8Capability =
  | 'quantize'
  | 'readQuantized'
  | 'requantize'
  | 'quantizedConv2d'
  | 'quantizedDepthwiseConv2d'
  | 'quantizedPointwiseConv2d'
  | 'quantizedSeparableConv2d'
  | 'quantizedAdd'
  | 'quantizedMul'
  | 'quantizedLookup'
  | 'quantizedPad'
  | 'quantizedPool2d'
  | 'quantizedGlobalPool2d'
  | 'quantizedConcat';

/** The capabilities an int8 step of each kind calls (a concat requantizes mismatched inputs first; binary: by op). */
const STEP_CAPABILITIES: Partial<Record<StepKind, readonly Int8Capability[]>> = {
  activation: ['quantizedLookup'],
  separable: ['quantizedSeparableConv2d'],
  pad: ['quantizedPad'],
  pool: ['quantizedPool2d'],
  globalPool: ['quantizedGlobalPool2d'],
  concat: ['requantize', 'quantizedConcat'],
};

const BINARY_CAPABILITIES: Readonly<Record<string, Int8Capability>> = { add: 'quantizedAdd', mul: 'quantizedMul' };

/**
 * The int8 capabilities a backend may lack (newer than the rest of the int8 contract): a step
 * that needs one the backend does not declare runs the reference int8 kernel on the host after
 * a read-back — the same int8 values, only slower. The others are required.
 */
const HOST_FALLBACK: ReadonlySet<Int8Capability> = new Set<Int8Capability>(['quantizedMul', 'quantizedLookup']);

const CONV_CAPABILITIES = {
  conv2d: 'quantizedConv2d',
  depthwiseConv2d: 'quantizedDepthwiseConv2d',
  pointwiseConv2d: 'quantizedPointwiseConv2d',
} as const satisfies Record<string, Int8Capability>;

function isQuantized(value: Value): value is QuantizedTensor {
  return value.dtype === 'int8';
}

/** The int8 capabilities an int8 step calls. */
function stepCapabilities({ step }: QuantizedStep): readonly Int8Capability[] {
  if (step.kind === 'conv') return [CONV_CAPABILITIES[step.op]];
  if (step.kind === 'binary') return [BINARY_CAPABILITIES[step.op]!];
  return STEP_CAPABILITIES[step.kind] ?? [];
}

/** The int8 capabilities a compiled quantized model calls, in the order they are first needed. */
function neededCapabilities(steps: readonly QuantizedStep[]): Int8Capability[] {
  const needed = new Set<Int8Capability>(['quantize', 'readQuantized']);
  for (const entry of steps) if (entry.mode === 'int8') for (const capability of stepCapabilities(entry)) needed.add(capability);
  return [...needed];
}

/**
 * A quantized model (from `quantizeModel` or a saved one) bound to a backend. Its int8 steps run
 * on the backend's int8 capabilities (`quantizedConv2d`, `quantizedAdd`, `quantizedMul`,
 * `quantizedLookup` for activations, …: TensorFlow Lite's integer arithmetic, the same int8
 * values on every backend; `quantizedMul` and `quantizedLookup` on the host's reference kernels
 * when the backend lacks them); its float steps — the layers `spec.quantization.floatLayers`
 * lists: the softmax, … — on the host's reference kernels after a read-back, so the floats a quantized model returns are the same bits on every
 * backend. `predict` takes float inputs (quantized with the input's parameters by the backend)
 * and returns float outputs on the host (read back and dequantized: one float32 product).
 */
export class Int8Model implements Model {
  readonly outputs: readonly string[];
  readonly inputs: readonly string[];
  /** Int8 kernels have no variants to choose between yet: never tuned. */
  readonly tuning = undefined;
  private readonly host: RunContext;
  /** By step: an int8 step whose capability the backend lacks, run by the reference kernels on the host. */
  private readonly onHost: readonly boolean[];
  private disposed = false;

  /** @throws UnsupportedError naming every int8 capability the model needs that the backend lacks. */
  constructor(
    readonly spec: QuantizedModelSpec,
    readonly backend: Backend,
    private readonly compiled: QuantizedPlan,
  ) {
    const lacks = (capability: Int8Capability): boolean => typeof backend[capability] !== 'function';
    const missing = neededCapabilities(compiled.steps).filter((capability) => lacks(capability) && !HOST_FALLBACK.has(capability));
    if (missing.length > 0) {
      throw new UnsupportedError(
        'instantiate',
        'backend',
        `a quantized model needs the int8 capabilities ${missing.map((c) => `'${c}'`).join(', ')}, which backend '${backend.name}' lacks`,
      );
    }
    this.outputs = compiled.plan.outputs.map((port) => port.name);
    this.inputs = compiled.plan.inputs.map((port) => port.name);
    this.host = { backend: createReferenceBackend(), slots: compiled.plan.slots, weight: (weight) => weight };
    this.onHost = compiled.steps.map((entry) => entry.mode === 'int8' && stepCapabilities(entry).some(lacks));
    this.prepareWeights();
  }

  /**
   * Has a backend that rearranges int8 weights for its kernels (the CPU backend packs them) do it
   * now for every int8 convolution it will run, so that the first predict packs nothing (see
   * `QuantizedWeightPreparingBackend`): each call as it will run, on an input of batch 0.
   */
  private prepareWeights(): void {
    const backend = this.backend;
    if (!canPrepareQuantizedWeights(backend)) return;
    const { steps, plan, params } = this.compiled;
    steps.forEach((entry, i) => {
      if (entry.mode !== 'int8' || this.onHost[i]) return;
      const { step } = entry;
      const slot = step.inputs[0]!;
      const x = new HostQuantizedTensor(new Int8Array(0), [0, ...plan.slots[slot]!.physical.slice(1)], params[slot]!);
      if (step.kind === 'separable' && entry.separable) {
        const { depthwise, pointwise } = entry.separable;
        backend.prepareQuantizedWeights({
          op: 'quantizedSeparableConv2d',
          x,
          depthwiseWeights: depthwise.weights,
          pointwiseWeights: pointwise.weights,
          options: depthwise.options,
        });
      } else if (step.kind === 'conv' && entry.conv) {
        backend.prepareQuantizedWeights({ op: CONV_CAPABILITIES[step.op], x, weights: entry.conv.weights, options: entry.conv.options });
      }
    });
  }

  get plan(): ModelPlan {
    return this.compiled.plan;
  }

  /**
   * Runs the model synchronously: possible when every int8 result is a host tensor (the
   * reference backend); otherwise the float steps and the outputs need a read-back.
   * @throws UnsupportedError naming `predictAsync` on a backend whose int8 tensors live on a device.
   */
  predict(x: ModelInputs): ModelOutputs {
    const run = this.execute(x);
    let request = run.next();
    while (!request.done) {
      const value = request.value;
      if (!isHostQuantizedTensor(value)) {
        run.return(undefined as never);
        throw new UnsupportedError(OP, 'x', `this quantized model's int8 values are on '${value.location}': use predictAsync, which reads them back`);
      }
      request = run.next(value);
    }
    return request.value;
  }

  async predictAsync(x: ModelInputs): Promise<ModelOutputs<HostTensor>> {
    const run = this.execute(x);
    let request = run.next();
    while (!request.done) request = run.next(await this.backend.readQuantized!(request.value));
    return request.value;
  }

  dispose(): void {
    this.disposed = true;
  }

  /**
   * The run, as a generator that yields each int8 tensor it needs on the host (before a float
   * step, and at the outputs) and receives it read back, so `predict` and `predictAsync` share it.
   */
  private *execute(x: ModelInputs): Generator<QuantizedTensor, ModelOutputs<HostTensor>, HostQuantizedTensor> {
    if (this.disposed) throw new UnsupportedError(OP, 'model', 'the model has been disposed');
    const { plan, steps } = this.compiled;
    const values = this.start(x);
    const given = new Set(values.values());
    const batch = values.get(plan.inputs[0]!.slot)!.shape[0]!;
    try {
      for (const [index, entry] of steps.entries()) {
        const inputs = entry.step.inputs.map((slot) => values.get(slot)!);
        if (entry.mode === 'float') {
          const floats: HostTensor[] = [];
          for (const value of inputs) floats.push(yield* this.toHostFloat(value));
          values.set(entry.step.output, runStep(entry.step, floats, this.host));
        } else if (this.onHost[index]) {
          const hostInputs: Value[] = [];
          for (const value of inputs) hostInputs.push(isQuantized(value) && !isHostQuantizedTensor(value) ? yield value : value);
          values.set(entry.step.output, this.runInt8(entry, hostInputs, this.host.backend));
        } else {
          values.set(entry.step.output, this.runInt8(entry, inputs, this.backend));
        }
        this.free(index, values, given);
      }
      const results: HostTensor[] = [];
      for (const port of plan.outputs) {
        const value = yield* this.toHostFloat(values.get(port.slot)!);
        const logical = [batch, ...plan.slots[port.slot]!.logical.slice(1)];
        results.push(outputToCaller(OP, this.spec, new HostTensor(value.data, logical)) as HostTensor);
      }
      return results.length === 1 ? results[0]! : Object.fromEntries(this.outputs.map((name, i) => [name, results[i]!]));
    } finally {
      for (const value of values.values()) if (!given.has(value)) value.dispose();
    }
  }

  private start(x: ModelInputs): Map<Slot, Value> {
    const names = this.inputs;
    const single = typeof x === 'object' && x !== null && 'shape' in x && 'dtype' in x;
    if (single && names.length > 1)
      throw new ValueError(OP, 'x', `model '${this.spec.name}' has ${names.length} inputs: pass a record by input name`);
    const record = (single ? { [names[0]!]: x } : x) as Readonly<Record<string, Tensor>>;
    const values = new Map<Slot, Value>();
    for (const port of this.compiled.plan.inputs) {
      const argument = names.length === 1 ? 'x' : `x.${port.name}`;
      assertTensor(OP, argument, record[port.name]);
      const tensor = inputToNhwc(OP, this.spec, record[port.name]!);
      const expected = this.compiled.plan.slots[port.slot]!.logical;
      if (tensor.shape.length !== expected.length || tensor.shape.some((d, i) => i > 0 && d !== expected[i])) {
        throw new ShapeError(OP, argument, `${argument} must be [batch, ${expected.slice(1).join(', ')}], got ${formatShape(tensor.shape)}`);
      }
      values.set(port.slot, tensor);
    }
    return values;
  }

  /** A value as host float32: int8 read back (when on a device) and dequantized with one float32 product per element, the same bits everywhere. */
  private *toHostFloat(value: Value): Generator<QuantizedTensor, HostTensor, HostQuantizedTensor> {
    if (!isQuantized(value)) {
      if (isHostTensor(value)) return value;
      throw new UnsupportedError(OP, 'x', `a float input of a float layer must be a host tensor, got one on '${value.location}'`);
    }
    return dequantize(isHostQuantizedTensor(value) ? value : yield value);
  }

  /**
   * A value as int8 for an int8 step: float values are quantized with the slot's parameters by
   * the backend, host data included (every backend's `quantize` gives the same bits, and a
   * backend's own runs in its kernels: a 224×224×3 input took ~4 ms of host JavaScript).
   */
  private toInt8(value: Value, slot: Slot, backend: Backend): QuantizedTensor {
    if (isQuantized(value)) return value;
    return backend.quantize!(value, this.compiled.params[slot]!);
  }

  /** Runs an int8 step on `backend`: the model's, or the host's reference backend for a capability the model's lacks. */
  private runInt8(entry: QuantizedStep & { mode: 'int8' }, inputs: readonly Value[], backend: Backend): Value {
    const { step } = entry;
    if (step.kind === 'relabel') return inputs[0]!;
    const int8 = inputs.map((value, i) => this.toInt8(value, step.inputs[i]!, backend));
    try {
      if (step.kind === 'separable' && entry.separable) {
        const { depthwise, pointwise } = entry.separable;
        return backend.quantizedSeparableConv2d!(int8[0]!, depthwise.weights, pointwise.weights, depthwise.options);
      }
      if (step.kind === 'conv' && entry.conv) {
        return backend[CONV_CAPABILITIES[step.op]]!(int8[0]!, entry.conv.weights, entry.conv.options);
      }
      const output = this.compiled.params[step.output]!;
      switch (step.kind) {
        case 'binary': {
          const { constant } = entry;
          const [a, b] = constant === undefined ? [int8[0]!, int8[1]!] : step.constantFirst ? [constant, int8[0]!] : [int8[0]!, constant];
          const options = { output, activation: step.activation as ConvActivation };
          return step.op === 'mul' ? backend.quantizedMul!(a, b, options) : backend.quantizedAdd!(a, b, options);
        }
        case 'activation':
          return backend.quantizedLookup!(int8[0]!, entry.lookup!);
        case 'pad':
          return backend.quantizedPad!(int8[0]!, step.padding);
        case 'pool':
          return backend.quantizedPool2d!(int8[0]!, {
            type: step.type,
            kernelSize: [step.kernelSize[0], step.kernelSize[1]],
            strides: [step.strides[0], step.strides[1]],
            padding: step.padding,
          });
        case 'globalPool':
          return backend.quantizedGlobalPool2d!(int8[0]!, { type: step.type });
        case 'concat':
          return this.concat(int8, output, step.axis, backend);
      }
      throw new UnsupportedError(OP, step.layers[0]!, `layer '${step.layers[0]}' (${step.kind}) has no int8 kernel`);
    } finally {
      // Inputs quantized for this step alone.
      for (const [i, value] of int8.entries()) if (value !== inputs[i]) value.dispose();
    }
  }

  /** An int8 concat: inputs whose parameters differ from the result's are requantized to them first (TensorFlow Lite's rule). */
  private concat(xs: readonly QuantizedTensor[], output: QuantParams, axis: number, backend: Backend): QuantizedTensor {
    const same = xs.map((x) => (sameQuantParams(x.quantization, output) ? x : backend.requantize!(x, output)));
    try {
      return backend.quantizedConcat!(same, { axis });
    } finally {
      for (const [i, x] of same.entries()) if (x !== xs[i]) x.dispose();
    }
  }

  /** Frees what step `index` read for the last time, unless the caller owns it or a relabel still holds it. */
  private free(index: number, values: Map<Slot, Value>, given: ReadonlySet<Value>): void {
    for (const slot of this.compiled.frees[index]!) {
      const value = values.get(slot);
      values.delete(slot);
      if (value !== undefined && !given.has(value) && ![...values.values()].includes(value)) value.dispose();
    }
  }
}
