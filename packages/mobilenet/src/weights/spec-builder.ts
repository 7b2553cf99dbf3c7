import { formatShape, SepconvError, UnsupportedError, ValueError, type HostTensor } from '@sepconv/tensor';
import { modelSpec, type LayerSpec, type ModelInput, type ModelSpec, type PadLayer, type SpatialPadding } from '@sepconv/graph';
import { errorAt } from './error-at.js';
import { unsupportedPartsError, type UnsupportedPart } from './unsupported-parts.js';

/** A tensor of the spec being built: a model input or a layer's output. */
export interface TensorRef {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * Builds a model spec from a file's parts (graph nodes, Keras layers) lowered one at a time in
 * an order where each comes after what it reads; the one place both readers keep their
 * layers, weights and the map from file names to tensors. Each file part is bound to the
 * tensor it produces, so a part may lower to no layer (an Identity: the tensor it reads), one,
 * or several (a fused convolution with a batch norm), and a later part may fold into the
 * layer before it (a BiasAdd into a convolution) while that layer's output has no other reader.
 */
export class SpecBuilder {
  /** Weights by spec name, `<layer>/<weight>`. */
  readonly weights = new Map<string, HostTensor>();
  /** Spec layer → the file's layer whose weights it holds, where the names differ (a Keras conv followed by its own sigmoid). */
  readonly weightSources = new Map<string, string>();
  private readonly inputs: ModelInput[] = [];
  /** In lowering order; a replaced layer keeps its place. */
  private readonly layers = new Map<string, LayerSpec>();
  private readonly shapes = new Map<string, readonly number[]>();
  /** File part name → tensor name. */
  private readonly bound = new Map<string, string>();
  /** Tensor → how many file parts (and model outputs) will read it. */
  private readonly readers = new Map<string, number>();
  private readonly refused: UnsupportedPart[] = [];
  private readonly failed = new Set<string>();

  /**
   * @param op the reader, for errors (`loadGraphModel`).
   * @param readersOf how many file parts read a part's output, plus one if it is a model output.
   */
  constructor(
    readonly op: string,
    private readonly readersOf: (part: string) => number,
  ) {}

  /** Declares a model input (a graph Placeholder, a Keras InputLayer), bound to the part of the same name. */
  addInput(name: string, shape: readonly number[]): void {
    this.inputs.push({ name, shape });
    this.shapes.set(name, shape);
    this.bind(name, name);
  }

  /** The tensor a file part produces, or undefined if it produced none (a constant, or a part that failed). */
  tensorOf(part: string): TensorRef | undefined {
    const name = this.bound.get(part);
    return name === undefined ? undefined : { name, shape: this.shapes.get(name)! };
  }

  /** The layer that produces `tensor` (undefined for a model input). */
  producer(tensor: string): LayerSpec | undefined {
    return this.layers.get(tensor);
  }

  /**
   * Adds a layer (its `inputs` named) and its weights, `{ kernel: … }` stored as `<layer>/kernel`.
   * The layer's output is read by nothing until a part is bound to it.
   */
  emit(layer: LayerSpec, weights: Readonly<Record<string, HostTensor | undefined>> = {}): TensorRef {
    if (this.layers.has(layer.name) || this.shapes.has(layer.name)) {
      throw new ValueError(this.op, layer.name, `two parts of the file produce a tensor named '${layer.name}'`);
    }
    this.layers.set(layer.name, layer);
    this.shapes.set(layer.name, layer.outputShape);
    this.readers.set(layer.name, 0);
    for (const [key, value] of Object.entries(weights)) if (value !== undefined) this.weights.set(`${layer.name}/${key}`, value);
    return { name: layer.name, shape: layer.outputShape };
  }

  /**
   * Binds a file part to the tensor it produces. `consumed`: how many of the tensor's readers
   * the part itself was (1 for an Identity or a fold: it read the tensor and now stands for it).
   */
  bind(part: string, tensor: string, consumed = 0): void {
    this.bound.set(part, tensor);
    this.readers.set(tensor, (this.readers.get(tensor) ?? 0) + this.readersOf(part) - consumed);
  }

  /** Whether a layer produces `tensor` and exactly one part reads it (no other layer, no model output). */
  private foldable(tensor: string): LayerSpec | undefined {
    return this.readers.get(tensor) === 1 ? this.layers.get(tensor) : undefined;
  }

  /**
   * Lets the layer producing `tensor` absorb what follows it (`update` returns its new form, same
   * name and output, or undefined to refuse) when nothing else reads its output.
   * @returns whether it was folded; the caller binds its part to `tensor` (consumed 1).
   */
  foldInto(tensor: string, update: (layer: LayerSpec) => LayerSpec | undefined, weights: Readonly<Record<string, HostTensor>> = {}): boolean {
    const layer = this.foldable(tensor);
    const updated = layer === undefined ? undefined : update(layer);
    if (updated === undefined) return false;
    this.layers.set(tensor, updated);
    for (const [key, value] of Object.entries(weights)) this.weights.set(`${tensor}/${key}`, value);
    return true;
  }

  /**
   * A zero padding whose only reader is the caller (a 'valid' convolution about to be built),
   * removed so the convolution takes it as explicit padding: exact, since a convolution's
   * explicit padding is zeros. Pooling never takes it (its padded cells are left out, not zeros).
   */
  takeZeroPadding(tensor: string): { input: TensorRef; padding: SpatialPadding } | undefined {
    const layer = this.foldable(tensor);
    if (layer?.type !== 'pad' || (layer as PadLayer).value !== 0 || layer.inputs === undefined) return undefined;
    this.layers.delete(tensor);
    const source = layer.inputs[0]!;
    return { input: { name: source, shape: this.shapes.get(source)! }, padding: layer.padding };
  }

  /** Records a part that does not run; the parts that read it are skipped (see {@link skips}). */
  refuse(part: UnsupportedPart): void {
    this.refused.push(part);
    this.failed.add(part.name);
  }

  /** Whether a part must be skipped because a part it reads did not run; marks it failed too. */
  skips(part: string, reads: readonly string[]): boolean {
    if (!reads.some((name) => this.failed.has(name))) return false;
    this.failed.add(part);
    return true;
  }

  /**
   * Runs one part's lowering: an UnsupportedError (the reader's, whose message is the reason,
   * or a layer builder's) is recorded with the part's kind and lowering goes on; any other
   * error is re-thrown naming the part (`where`, e.g. `node 'conv0' (Conv2D)`).
   */
  lower(part: string, kind: string, where: string, lowering: () => void): void {
    try {
      lowering();
    } catch (error) {
      if (!(error instanceof UnsupportedError)) throw errorAt(error, this.op, part, where);
      const reason = error.op === this.op ? error.message.slice(this.op.length + 2) : error.message;
      this.refuse({ kind, name: part, reason });
    }
  }

  /**
   * The spec: every part refused so far in one UnsupportedError, else `modelSpec` of the
   * layers with `outputs` (tensor names) renamed to the names the file gives them.
   * @param noun how the file's parts are called in the error: `'node'` or `'layer'`.
   */
  finish(name: string, noun: 'node' | 'layer', outputs: readonly { name: string; part: string }[]): ModelSpec {
    if (this.refused.length > 0) throw unsupportedPartsError(this.op, noun, this.refused);
    const renames = this.outputRenames(outputs);
    const rename = (tensor: string): string => renames.get(tensor) ?? tensor;
    const layers = [...this.layers.values()].map((layer) => ({ ...layer, name: rename(layer.name), inputs: layer.inputs?.map(rename) }) as LayerSpec);
    for (const [from, to] of renames) {
      for (const [key, value] of [...this.weights]) {
        if (!key.startsWith(`${from}/`)) continue;
        this.weights.delete(key);
        this.weights.set(`${to}${key.slice(from.length)}`, value);
      }
    }
    try {
      return modelSpec({ name, inputs: this.inputs, outputs: outputs.map((o) => o.name), layers });
    } catch (error) {
      if (error instanceof SepconvError) throw new ValueError(this.op, error.argument, `the ${noun}s do not fit together: ${error.message}`);
      throw error;
    }
  }

  /** Output tensor → the name the file gives that output, where they differ. */
  private outputRenames(outputs: readonly { name: string; part: string }[]): Map<string, string> {
    const renames = new Map<string, string>();
    const claimed = new Map<string, string>();
    for (const output of outputs) {
      const tensor = this.tensorOf(output.part);
      if (tensor === undefined || !this.layers.has(tensor.name)) {
        throw new UnsupportedError(
          this.op,
          output.name,
          `output '${output.name}' is ${tensor === undefined ? 'a constant' : `the model input '${tensor.name}'`}, not computed by the model`,
        );
      }
      const other = claimed.get(tensor.name);
      if (other !== undefined) {
        throw new UnsupportedError(
          this.op,
          output.name,
          `outputs '${other}' and '${output.name}' are the same tensor '${tensor.name}'; each output must be computed by a layer of its own`,
        );
      }
      claimed.set(tensor.name, output.name);
      if (tensor.name === output.name) continue;
      if (this.shapes.has(output.name)) {
        throw new ValueError(
          this.op,
          output.name,
          `output '${output.name}' names tensor ${formatShape(tensor.shape)} '${tensor.name}', but another tensor is already called '${output.name}'`,
        );
      }
      renames.set(tensor.name, output.name);
    }
    return renames;
  }
}
