import { describeValue, UnsupportedError } from '@sepconv/tensor';

/** A part of a model file that sepconv cannot run: a graph node or a Keras layer. */
export interface UnsupportedPart {
  /** The node's op (`'Elu'`) or the layer's class (`'LSTM'`): what the error groups by. */
  readonly kind: string;
  /** The node's or layer's name. */
  readonly name: string;
  /** Why, when the kind itself is read but this use of it is not (`mode 'REFLECT' …`). */
  readonly reason?: string;
}

/** Names shown per kind, and kinds shown, before the message counts the rest: a file may hold 80,000 of them. */
const NAMES_SHOWN = 4;
const KINDS_SHOWN = 8;
/** Long enough for any reason sepconv writes; a reason quoting a file value is already bounded by describeValue. */
const MAX_REASON = 200;

function more(total: number, shown: number, unit: string): string {
  return total > shown ? `, … and ${total - shown} more ${unit}` : '';
}

function entry(part: UnsupportedPart): string {
  const reason = part.reason === undefined ? '' : `: ${part.reason.length > MAX_REASON ? `${part.reason.slice(0, MAX_REASON - 1)}…` : part.reason}`;
  return `${describeValue(part.name)}${reason}`;
}

/**
 * One UnsupportedError listing every part of a model file that does not run, grouped by op
 * or class, e.g. `loadGraphModel: 3 nodes do not run: 'Elu' (nodes 'a', 'b'); 'MirrorPad'
 * (node 'pad': mode 'REFLECT' …)`. The message stays bounded (a few names per kind, a few
 * kinds, then counts); `argument` is the first part's name.
 * @param noun what a part is: `'node'` (graph op) or `'layer'` (Keras class).
 */
export function unsupportedPartsError(op: string, noun: 'node' | 'layer', parts: readonly UnsupportedPart[]): UnsupportedError {
  const groups = new Map<string, UnsupportedPart[]>();
  for (const part of parts) {
    const group = groups.get(part.kind);
    if (group) group.push(part);
    else groups.set(part.kind, [part]);
  }
  const shown = [...groups].slice(0, KINDS_SHOWN).map(([kind, members]) => {
    const label = members.length === 1 ? noun : `${members.length} ${noun}s`;
    return `${describeValue(kind)} (${label} ${members.slice(0, NAMES_SHOWN).map(entry).join(', ')}${more(members.length, NAMES_SHOWN, `${noun}s`)})`;
  });
  const count = parts.length === 1 ? `1 ${noun} does` : `${parts.length} ${noun}s do`;
  const message = `${count} not run: ${shown.join('; ')}${more(groups.size, KINDS_SHOWN, noun === 'node' ? 'ops' : 'classes')}`;
  return new UnsupportedError(op, parts[0]?.name ?? 'modelTopology', message);
}
