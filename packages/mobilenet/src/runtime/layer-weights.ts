import { formatShape, HostTensor, ShapeError, ValueError } from '@sepconv/tensor';
import type { WeightMap } from '../weights/weight-map.js';

/**
 * Hands out a model's weights by layer, checking each one's shape against the spec and
 * remembering which were used, so weights for another network are rejected rather than
 * silently ignored.
 */
export class LayerWeights {
  private readonly used = new Set<string>();

  constructor(
    private readonly op: string,
    private readonly weights: WeightMap,
  ) {}

  /**
   * The weight `<layer>/<name>`, which must have one of the `shapes` (same element order;
   * the first is the one returned, so `[1, 1, Cin, Cout]` comes back as `[Cin, Cout]`).
   * @throws ValueError when absent; ShapeError when its shape is none of `shapes`.
   */
  take(layer: string, name: string, ...shapes: (readonly number[])[]): HostTensor {
    const key = `${layer}/${name}`;
    const weight = this.weights.get(key);
    if (weight === undefined) {
      throw new ValueError(this.op, key, `layer '${layer}' needs weight '${key}' ${formatShape(shapes[0]!)}, which the weights do not have`);
    }
    if (!shapes.some((shape) => shape.length === weight.shape.length && shape.every((d, i) => d === weight.shape[i]))) {
      throw new ShapeError(
        this.op,
        key,
        `layer '${layer}': weight '${key}' must be ${shapes.map(formatShape).join(' or ')}, got ${formatShape(weight.shape)}`,
      );
    }
    this.used.add(key);
    return weight.shape.length === shapes[0]!.length ? weight : new HostTensor(weight.data, shapes[0]!);
  }

  /** Like {@link take} for a `[length]` vector, returning its data. */
  vector(layer: string, name: string, length: number): Float32Array {
    return this.take(layer, name, [length]).data;
  }

  /** @throws ValueError naming the first weight no layer used: the weights belong to another network. */
  assertAllUsed(): void {
    for (const key of this.weights.keys()) {
      if (!this.used.has(key)) {
        throw new ValueError(
          this.op,
          key,
          `weight '${key}' matches no layer of the model (weights for another network, or a layer missing from the spec?)`,
        );
      }
    }
  }
}
