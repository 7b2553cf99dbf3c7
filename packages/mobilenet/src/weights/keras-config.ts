import { describeValue, ValueError } from '@sepconv/tensor';

// The two JSON forms of a Keras model config as a TensorFlow.js layers model.json holds it
// (`modelTopology`): Keras 2 / tfjs-layers (`{ class_name, config, name, inbound_nodes:
// [[["layer", 0, 0, {}]]] }`) and Keras 3 (`{ module, class_name, config, registered_name,
// inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { keras_history } }],
// kwargs }] }`, dtype policies and activations as nested objects). Checked, never trusted.

const OP = 'kerasModelSpec';

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Which Keras wrote the file; the formats differ in a few semantics (hard_sigmoid, bilinear upsampling). */
export interface KerasFormat {
  /** Keras 3 (`module`/`registered_name` entries, `keras_version` 3.x). */
  readonly keras3: boolean;
  /**
   * Whether bilinear `UpSampling2D` samples at the asymmetric legacy positions
   * (`tf.image.resize_bilinear` of Keras ≤ 2.2 on TF 1, and tfjs-layers) rather than at pixel
   * centres (`tf.image.resize` of tf.keras 2.3+ and Keras 3).
   */
  readonly legacyResize: boolean;
}

/** A layer entry of the config: its name, class, options and the layers it reads. */
export interface KerasLayerEntry {
  readonly name: string;
  readonly className: string;
  readonly config: Json;
  /** Names of the layers whose outputs it reads (Sequential: the layer before it). */
  readonly inbound: readonly string[];
  /** Why its inbound nodes cannot run (a shared layer, a second output), if so. */
  readonly inboundProblem?: string;
}

/** The model config inside `modelTopology` (`model_config`, or the topology itself). */
export function modelConfig(topology: unknown): { className: unknown; config: unknown; format: KerasFormat } {
  if (!isRecord(topology)) throw new ValueError(OP, 'modelTopology', `modelTopology must be an object, got ${describeValue(topology)}`);
  const model = isRecord(topology.model_config) ? topology.model_config : topology;
  const version = typeof topology.keras_version === 'string' ? topology.keras_version : '';
  const keras3 = /^3\./.test(version) || 'module' in model;
  const [major, minor] = version.split('.').map((part) => Number.parseInt(part, 10));
  const legacyResize =
    !keras3 && (version.startsWith('tfjs-layers') || (major === 2 && (minor ?? 0) < 3 && !version.endsWith('-tf')) || (major ?? 2) < 2);
  return { className: model.class_name, config: model.config, format: { keras3, legacyResize } };
}

/** A `[name, nodeIndex, tensorIndex]` reference (Keras 2 inbound entries, Keras 3 `keras_history`, `input_layers`). */
function reference(value: unknown, where: string): { name: string; node: number; tensor: number } {
  if (!Array.isArray(value) || typeof value[0] !== 'string')
    throw new ValueError(OP, where, `${where} must be ["layer", nodeIndex, tensorIndex], got ${describeValue(value)}`);
  const [name, node = 0, tensor = 0] = value as [string, unknown, unknown];
  if (typeof node !== 'number' || typeof tensor !== 'number')
    throw new ValueError(OP, where, `${where} must be ["layer", nodeIndex, tensorIndex], got ${describeValue(value)}`);
  return { name, node, tensor };
}

/** The Keras 3 tensors (`__keras_tensor__`) in a call's `args`, in order; the walk is iterative and bounded by the file's size. */
function kerasTensors(args: unknown): unknown[] {
  const found: unknown[] = [];
  const stack: unknown[] = [args];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) for (let i = value.length - 1; i >= 0; i--) stack.push(value[i]);
    else if (isRecord(value) && value.class_name === '__keras_tensor__') {
      found.push(isRecord(value.config) ? value.config.keras_history : undefined);
    } else if (isRecord(value) && value.class_name === undefined) {
      for (const item of Object.values(value).reverse()) stack.push(item);
    }
  }
  return found;
}

/** The layers one call of a layer reads, from either format of `inbound_nodes`. */
function inboundOf(raw: Json, name: string): { inbound: string[]; problem?: string } {
  const nodes = raw.inbound_nodes ?? [];
  if (!Array.isArray(nodes)) throw new ValueError(OP, name, `layer '${name}': inbound_nodes must be a list, got ${describeValue(nodes)}`);
  if (nodes.length === 0) return { inbound: [] };
  const where = `layer '${name}': inbound_nodes[0]`;
  const node: unknown = nodes[0];
  const entries = isRecord(node) ? kerasTensors(node.args ?? []) : node;
  if (!Array.isArray(entries)) throw new ValueError(OP, name, `${where} must be a list of inputs or { args, kwargs }, got ${describeValue(node)}`);
  const refs = entries.map((entry, i) => reference(entry, `${where}[${i}]`));
  const problem =
    nodes.length > 1
      ? `the layer is called ${nodes.length} times (shared layers do not run)`
      : refs.some((r) => r.node !== 0 || r.tensor !== 0)
        ? 'it reads a second call or a second output of a layer, which sepconv does not run'
        : undefined;
  return { inbound: refs.map((r) => r.name), ...(problem === undefined ? {} : { problem }) };
}

/** The layer entries of a functional or sequential config, each checked. */
export function layerEntries(config: unknown, sequential: boolean): KerasLayerEntry[] {
  const raw = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
  if (!Array.isArray(raw) || raw.length === 0)
    throw new ValueError(OP, 'modelTopology', `modelTopology has no layers: config.layers must be a non-empty list, got ${describeValue(raw)}`);
  let previous: string | undefined;
  return raw.map((layer: unknown, index) => {
    const at = `layers[${index}]`;
    if (!isRecord(layer) || typeof layer.class_name !== 'string' || !isRecord(layer.config)) {
      throw new ValueError(OP, at, `${at} must be { class_name, config }, got ${describeValue(layer)}`);
    }
    const name = typeof layer.name === 'string' ? layer.name : typeof layer.config.name === 'string' ? layer.config.name : undefined;
    if (name === undefined || name.length === 0) throw new ValueError(OP, at, `${at} (${describeValue(layer.class_name)}) has no name`);
    const entry = { name, className: layer.class_name, config: layer.config };
    if (!sequential) {
      const { inbound, problem } = inboundOf(layer, name);
      return { ...entry, inbound, ...(problem === undefined ? {} : { inboundProblem: problem }) };
    }
    const inbound = previous === undefined ? [] : [previous];
    previous = name;
    return { ...entry, inbound };
  });
}

/** Layer names of `input_layers` / `output_layers`: `[["a", 0, 0], …]`, or Keras 3's single `["a", 0, 0]`. */
export function endpointNames(config: unknown, key: 'input_layers' | 'output_layers'): string[] | undefined {
  const value = isRecord(config) ? config[key] : undefined;
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new ValueError(OP, key, `config.${key} must be a list, got ${describeValue(value)}`);
  const list = typeof value[0] === 'string' ? [value] : value;
  return list.map((ref: unknown, i) => reference(ref, `config.${key}[${i}]`).name);
}

/** A Keras 3 serialised object (`{ module, class_name, config, registered_name }`) reduced to what it names: `{ config: 'relu' }` → `'relu'`. */
export function unwrap(value: unknown): unknown {
  return isRecord(value) && 'class_name' in value && 'config' in value && typeof value.config === 'string' ? value.config : value;
}
