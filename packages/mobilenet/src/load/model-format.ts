import { describeValue, ValueError } from '@sepconv/tensor';
import type { EntryContent } from './sources/model-source.js';

/**
 * The model formats `loadModel` tells apart: a TensorFlow.js layers model (Keras topology,
 * `format: 'layers-model'`), a TensorFlow.js graph model (`format: 'graph-model'`, converted
 * from a SavedModel or frozen graph), ONNX, and sepconv's own (`format: 'sepconv-model'`,
 * written by `saveModel`: a spec, quantized or not, and its weights).
 */
export type ModelFormat = 'layers-model' | 'graph-model' | 'onnx' | 'sepconv-model';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a model.json shows its format when it has no (known) `format` field: the shape of `modelTopology`. */
const TOPOLOGY_FORMATS: readonly { readonly format: ModelFormat; readonly matches: (topology: Record<string, unknown>) => boolean }[] = [
  { format: 'graph-model', matches: (topology) => Array.isArray(topology.node) },
  { format: 'layers-model', matches: (topology) => isRecord(topology.model_config) || typeof topology.class_name === 'string' },
];

const DECLARED_FORMATS: ReadonlySet<string> = new Set<ModelFormat>(['layers-model', 'graph-model', 'sepconv-model']);

/** The format an entry file's name gives away (`….onnx`), before any byte is read. */
export function formatFromName(name: string): ModelFormat | undefined {
  return /\.onnx$/i.test(name.replace(/[?#].*$/, '')) ? 'onnx' : undefined;
}

/**
 * The format of a parsed model.json: its `format` field where it names one, else what
 * `modelTopology` holds (`node` → graph model, `model_config` / `class_name` → layers model).
 * @throws ValueError naming `source` when neither tells.
 */
export function formatFromJson(op: string, json: unknown, entryName: string): ModelFormat {
  if (Array.isArray(json)) {
    throw new ValueError(
      op,
      'source',
      `${entryName} is a weights manifest without a model topology: read it with readWeights(manifest, weightData) and map the weights onto a spec (e.g. tfSlimMobileNetV1)`,
    );
  }
  if (!isRecord(json)) throw new ValueError(op, 'source', `${entryName} must be a model.json object, got ${describeValue(json)}`);
  if (typeof json.format === 'string' && DECLARED_FORMATS.has(json.format)) return json.format as ModelFormat;
  const topology = json.modelTopology;
  const found = isRecord(topology) ? TOPOLOGY_FORMATS.find((row) => row.matches(topology)) : undefined;
  if (found) return found.format;
  throw new ValueError(
    op,
    'source',
    `cannot tell the format of ${entryName}: expected format 'layers-model', 'graph-model' or 'sepconv-model', or a modelTopology with node (graph model) or model_config / class_name (layers model), got format ${describeValue(json.format)} and modelTopology ${describeValue(topology)}`,
  );
}

const BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf];

/** The first byte that is not a UTF-8 byte-order mark or JSON whitespace, or -1. */
function firstSignificantByte(bytes: Uint8Array): number {
  let i = BYTE_ORDER_MARK.every((b, k) => bytes[k] === b) ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return i < bytes.length ? bytes[i]! : -1;
}

/** The entry file as parsed JSON, or `'onnx'` for bytes that are not JSON text. */
export function parseEntry(op: string, content: EntryContent, entryName: string): { json: unknown } | 'onnx' {
  if ('json' in content) return content;
  const first = firstSignificantByte(content.bytes);
  // ONNX (protobuf) has no magic number; anything that is not JSON text is taken for it, except an HTML page (a server's error or index page).
  if (first !== 0x7b && first !== 0x5b) {
    if (first === 0x3c) throw new ValueError(op, 'source', `${entryName} is HTML or XML, not a model file (a server's error or index page?)`);
    if (first === -1) throw new ValueError(op, 'source', `${entryName} is empty`);
    return 'onnx';
  }
  try {
    return { json: JSON.parse(new TextDecoder().decode(content.bytes)) as unknown };
  } catch (error) {
    throw new ValueError(
      op,
      'source',
      `${entryName} is not valid JSON: ${error instanceof Error ? error.message.slice(0, 200) : describeValue(error)}`,
    );
  }
}
