import { ValueError } from '@sepconv/tensor';
import type { ModelInput, ModelSpec } from './model-spec.js';

/** The shape of every tensor of a model, by name: its inputs and every layer's output. */
export function tensorShapes(spec: ModelSpec): Map<string, readonly number[]> {
  return new Map<string, readonly number[]>([
    ...spec.inputs.map((input): [string, readonly number[]] => [input.name, input.shape]),
    ...spec.layers.map((layer): [string, readonly number[]] => [layer.name, layer.outputShape]),
  ]);
}

/**
 * The input of a one-input model (MobileNet's image).
 * @throws ValueError naming `op` when the model has several inputs.
 */
export function modelInput(spec: ModelSpec, op = 'modelInput'): ModelInput {
  if (spec.inputs.length !== 1) {
    throw new ValueError(
      op,
      'spec.inputs',
      `model '${spec.name}' has ${spec.inputs.length} inputs (${spec.inputs.map((i) => `'${i.name}'`).join(', ')}); give each by name`,
    );
  }
  return spec.inputs[0]!;
}

/**
 * The shape of one output: `output` by name, or the only one of a one-output model.
 * @throws ValueError naming `modelOutputShape` when the name is not an output, or when no name
 * is given and the model has several.
 */
export function modelOutputShape(spec: ModelSpec, output?: string): readonly number[] {
  const op = 'modelOutputShape';
  if (output === undefined && spec.outputs.length !== 1) {
    throw new ValueError(
      op,
      'output',
      `model '${spec.name}' has ${spec.outputs.length} outputs (${spec.outputs.map((o) => `'${o}'`).join(', ')}); name one`,
    );
  }
  const name = output ?? spec.outputs[0]!;
  const layer = spec.outputs.includes(name) ? spec.layers.find((l) => l.name === name) : undefined;
  if (layer === undefined) {
    throw new ValueError(
      op,
      'output',
      `'${name}' is not an output of model '${spec.name}' (outputs: ${spec.outputs.map((o) => `'${o}'`).join(', ')})`,
    );
  }
  return layer.outputShape;
}
