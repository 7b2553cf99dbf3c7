import { describeValue, ValueError } from '@sepconv/tensor';
import type { ClassLabels } from './classification.js';

const OP = 'classify';
const ARGUMENT = 'options.labels';

/** `message` follows the argument's name: `' has 2 labels…'`, `'[1] must be…'`. */
function fail(message: string): never {
  throw new ValueError(OP, ARGUMENT, `${ARGUMENT}${message}`);
}

/**
 * The label of each of `classes` classes: the given labels checked against the model (one
 * string per class, no more, no fewer), or each index as a string when none are given.
 * @throws ValueError naming `classify` and `options.labels`.
 */
export function classLabels(labels: ClassLabels | undefined, classes: number): readonly string[] {
  if (labels === undefined) return Array.from({ length: classes }, (_, i) => String(i));
  if (typeof labels !== 'object' || labels === null)
    fail(` must be an array of strings or a record from class index to string, got ${describeValue(labels)}`);
  const entries: [string, unknown][] = Array.isArray(labels) ? labels.map((label, i) => [String(i), label]) : Object.entries(labels);
  if (Array.isArray(labels) && labels.length !== classes) fail(` has ${labels.length} labels, but the model has ${classes} classes`);
  const out = new Array<string | undefined>(classes).fill(undefined);
  for (const [key, label] of entries) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= classes || String(index) !== key)
      fail(` has a label for '${key}', which is not a class index of this model (0 to ${classes - 1})`);
    if (typeof label !== 'string') fail(`[${key}] must be a string, got ${describeValue(label)}`);
    out[index] = label;
  }
  const missing = out.findIndex((label) => label === undefined);
  if (missing >= 0) fail(` has no label for class ${missing} (the model has ${classes} classes)`);
  return out as string[];
}
