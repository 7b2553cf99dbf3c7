/**
 * The longest text {@link describeValue} returns. Error messages quote what they were given;
 * a value from a file can be megabytes long or nested thousands deep, and the message must
 * stay readable and cheap to build.
 */
export const MAX_VALUE_PREVIEW = 80;

/** A value shown inside an array or object preview: primitives in full (bounded), containers as `[…]` / `{…}`. */
function shallow(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : '[…]';
  if (typeof value === 'object' && value !== null) return '{…}';
  return primitive(value);
}

function primitive(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const quoted = value.length > MAX_VALUE_PREVIEW - 2 ? `${value.slice(0, MAX_VALUE_PREVIEW - 3)}…` : value;
      return `'${quoted}'`;
    }
    case 'bigint':
      return `${value}n`;
    case 'function':
      return value.name ? `function ${value.name}` : 'a function';
    case 'symbol':
      return value.toString();
    default:
      return String(value);
  }
}

/** Joins `parts` between `open` and `close`, stopping (with `…` and the count) before the text would pass the preview limit. */
function bounded(open: string, parts: Iterable<string>, close: string, total: number, unit: string): string {
  const cut = `…${close} (${total} ${unit})`;
  let text = open;
  let shown = 0;
  for (const part of parts) {
    const next = `${shown === 0 ? '' : ', '}${part}`;
    const remaining = total - shown - 1;
    // The last part only needs room for `close`; any earlier one for the cut-off marker too.
    const room = remaining === 0 ? close.length : (shown === 0 ? 0 : 2) + cut.length;
    if (text.length + next.length + room > MAX_VALUE_PREVIEW) return `${text}${shown === 0 ? '' : ', '}${cut}`;
    text += next;
    shown++;
  }
  return text + close;
}

function* arrayItems(value: readonly unknown[]): Generator<string> {
  for (let i = 0; i < value.length; i++) yield shallow(value[i]);
}

function* objectEntries(value: object, keys: readonly string[]): Generator<string> {
  for (const key of keys) {
    // Only data properties: reading a getter would run the caller's code inside an error path.
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    yield `${key}: ${descriptor && 'value' in descriptor ? shallow(descriptor.value) : '(getter)'}`;
  }
}

/**
 * A short, safe description of any value for an error message: strings quoted, numbers as
 * written (`NaN`, `Infinity`, `1e+300`), arrays and objects one level deep (`[3, 3, […]]`,
 * `{ dtype: 'int4', scale: {…} }`), cut at {@link MAX_VALUE_PREVIEW} characters with `…` and the
 * item count. Never recursive and never calls the value's own `toString` or getters, so a
 * value nested 100,000 deep, cyclic, or huge costs the same as a small one.
 */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return bounded('[', arrayItems(value), ']', value.length, 'items');
  if (typeof value === 'object' && value !== null) {
    // The built-in tag (not the value's own constructor property, which a caller controls).
    const tag = Object.prototype.toString.call(value).slice(8, -1);
    if (ArrayBuffer.isView(value) || tag === 'ArrayBuffer' || tag === 'SharedArrayBuffer') {
      return `${tag}(${(value as { byteLength: number }).byteLength} bytes)`;
    }
    const keys = Object.keys(value);
    return keys.length === 0 ? '{}' : bounded('{ ', objectEntries(value, keys), ' }', keys.length, 'keys');
  }
  return primitive(value);
}
