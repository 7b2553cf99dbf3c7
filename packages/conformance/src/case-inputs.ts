import {
  depthwiseConv2dGeometry,
  conv2dGeometry,
  outputShape,
  pointwiseConv2dGeometry,
  randomUniform,
  separableConv2dGeometry,
  tensor,
  type Backend,
  type Conv2dGeometry,
  type HostTensor,
  type SeparableConv2dGeometry,
  type SeparableConv2dOptions,
  type Tensor,
} from '@sepconv/tensor';
import type { ConformanceCase } from './conformance-case.js';

/** The host tensors of a case, filled deterministically from its seed. */
export interface CaseInputs {
  readonly x: HostTensor;
  readonly filter: HostTensor;
  readonly pointwiseFilter?: HostTensor | undefined;
  readonly bias?: HostTensor | undefined;
  readonly depthwiseBias?: HostTensor | undefined;
  /** `options.residual`, the output's shape (cases with `residual` only). */
  readonly residual?: HostTensor | undefined;
}

function outChannelsOf(c: ConformanceCase): number {
  if (c.op === 'separableConv2d') return c.pointwiseFilterShape![1]!;
  if (c.op === 'depthwiseConv2d') return c.filterShape[2]! * c.filterShape[3]!;
  return c.filterShape[c.filterShape.length - 1]!;
}

/** Builds a case's inputs: x in [-scale, scale], weights and biases in [-1, 1]. */
export function caseInputs(c: ConformanceCase): CaseInputs {
  const scale = c.scale ?? 1;
  const inputs: CaseInputs = {
    x: randomUniform(c.xShape, c.seed, -scale, scale),
    filter: randomUniform(c.filterShape, c.seed + 1),
    pointwiseFilter: c.pointwiseFilterShape ? randomUniform(c.pointwiseFilterShape, c.seed + 2) : undefined,
    bias: c.bias ? randomUniform([outChannelsOf(c)], c.seed + 3) : undefined,
    depthwiseBias: c.depthwiseBias ? randomUniform([c.filterShape[2]! * c.filterShape[3]!], c.seed + 4) : undefined,
  };
  if (!c.residual) return inputs;
  const geometry = caseGeometry(c, inputs);
  const shape = outputShape('pointwise' in geometry ? geometry.pointwise : geometry);
  return { ...inputs, residual: randomUniform(shape, c.seed + 5, -scale, scale) };
}

/** The same inputs with every value replaced by its absolute value. */
export function absoluteInputs(inputs: CaseInputs): CaseInputs {
  const abs = (t: HostTensor | undefined) => (t ? tensor(t.data.map(Math.abs), t.shape) : undefined);
  return {
    x: abs(inputs.x)!,
    filter: abs(inputs.filter)!,
    pointwiseFilter: abs(inputs.pointwiseFilter),
    bias: abs(inputs.bias),
    depthwiseBias: abs(inputs.depthwiseBias),
    residual: abs(inputs.residual),
  };
}

function separableOptions(c: ConformanceCase, inputs: CaseInputs, linear: boolean): SeparableConv2dOptions {
  return {
    strides: c.strides,
    dilations: c.dilations,
    padding: c.padding,
    depthwiseBias: inputs.depthwiseBias,
    depthwiseActivation: linear ? 'linear' : c.depthwiseActivation,
    bias: inputs.bias,
    activation: linear ? 'linear' : c.activation,
    residual: inputs.residual,
  };
}

/**
 * Runs a case on a backend. With `linear`, activations are dropped: on absolute inputs that
 * gives Σ|x·w| (+|bias|) per output, the scale the tolerance is relative to.
 */
export function runCase(backend: Backend, c: ConformanceCase, inputs: CaseInputs, linear = false): Tensor {
  if (c.op === 'separableConv2d') {
    return backend.separableConv2d(inputs.x, inputs.filter, inputs.pointwiseFilter!, separableOptions(c, inputs, linear));
  }
  const options = {
    strides: c.strides,
    dilations: c.dilations,
    padding: c.padding,
    bias: inputs.bias,
    activation: linear ? ('linear' as const) : c.activation,
    residual: inputs.residual,
  };
  return backend[c.op](inputs.x, inputs.filter, options);
}

/** The geometry a backend will see for a case (what variant predicates are asked about). */
export function caseGeometry(c: ConformanceCase, inputs: CaseInputs): Conv2dGeometry | SeparableConv2dGeometry {
  const options = {
    strides: c.strides,
    dilations: c.dilations,
    padding: c.padding,
    bias: inputs.bias,
    activation: c.activation,
    residual: inputs.residual,
  };
  switch (c.op) {
    case 'conv2d':
      return conv2dGeometry(inputs.x, inputs.filter, options);
    case 'depthwiseConv2d':
      return depthwiseConv2dGeometry(inputs.x, inputs.filter, options);
    case 'pointwiseConv2d':
      return pointwiseConv2dGeometry(inputs.x, inputs.filter, options);
    case 'separableConv2d':
      return separableConv2dGeometry(inputs.x, inputs.filter, inputs.pointwiseFilter!, separableOptions(c, inputs, false));
  }
}
