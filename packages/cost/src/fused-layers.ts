import { CONV_ACTIVATIONS, type ConvActivation } from '@sepconv/tensor';
import type { LayerSpec, LayerType, ModelSpec } from '@sepconv/graph';

/** Layer kinds a following batch norm folds into and an activation fuses into (their kernels take a bias and an epilogue). */
const PRODUCERS: ReadonlySet<LayerType> = new Set<LayerType>(['conv2d', 'depthwiseConv2d', 'pointwiseConv2d', 'separableConv2d', 'dense']);

/** The inputs of a layer by name; a builder's result without `inputs` reads the layer before it. */
function inputsOf(layer: LayerSpec, previous: LayerSpec | undefined, spec: ModelSpec): readonly string[] {
  if (layer.inputs !== undefined) return layer.inputs;
  return previous === undefined ? spec.inputs.map((input) => input.name) : [previous.name];
}

function ownActivation(layer: LayerSpec): string {
  return 'activation' in layer ? layer.activation : 'linear';
}

/**
 * The layers that run inside another layer's kernel when sepconv compiles a model (as
 * `@sepconv/mobilenet`'s `compileModel` does): a batch norm right after a convolution or dense
 * layer is folded into its weights and bias, and an activation the convolution kernels fuse
 * (`ConvActivation`: ReLU, ReLU6, hard-sigmoid, hard-swish) right after one (or after its
 * folded batch norm) is applied in its epilogue — each only when the tensor it reads has no
 * other reader and is not a model output, and while the convolution's own activation is
 * linear. Returns each such layer's name mapped to the layer it runs in.
 */
export function fusedLayers(spec: ModelSpec): ReadonlyMap<string, string> {
  const readers = new Map<string, number>();
  spec.layers.forEach((layer, i) => {
    for (const input of inputsOf(layer, spec.layers[i - 1], spec)) readers.set(input, (readers.get(input) ?? 0) + 1);
  });
  for (const output of spec.outputs) readers.set(output, (readers.get(output) ?? 0) + 1);
  const readsOnly = (layer: LayerSpec | undefined, i: number, tail: string): boolean =>
    layer !== undefined && readers.get(tail) === 1 && inputsOf(layer, spec.layers[i - 1], spec).join() === tail;

  const into = new Map<string, string>();
  spec.layers.forEach((producer, i) => {
    if (!PRODUCERS.has(producer.type) || ownActivation(producer) !== 'linear') return;
    let tail = producer.name;
    let next = i + 1;
    const norm = spec.layers[next];
    if (norm?.type === 'batchNorm' && readsOnly(norm, next, tail)) {
      into.set(norm.name, producer.name);
      tail = norm.name;
      next++;
    }
    const activation = spec.layers[next];
    if (
      activation?.type === 'activation' &&
      CONV_ACTIVATIONS.includes(activation.activation as ConvActivation) &&
      readsOnly(activation, next, tail)
    ) {
      into.set(activation.name, producer.name);
    }
  });
  return into;
}
