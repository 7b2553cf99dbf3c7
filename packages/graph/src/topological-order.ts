import type { GraphLayer } from './layer-spec.js';

/**
 * Orders layers so that each comes after the layers it consumes (Kahn's algorithm, iterative so
 * a graph of any depth cannot overflow the stack). Stable: among layers that are ready, the one
 * listed first goes first, so a list already in order comes back unchanged.
 * @param cycleError builds the error thrown when some layers consume each other in a cycle;
 * it receives the layer names along one cycle.
 */
export function topologicalOrder(layers: readonly GraphLayer[], cycleError: (cycle: readonly string[]) => Error): GraphLayer[] {
  const index = new Map(layers.map((layer, i) => [layer.name, i]));
  const waiting = layers.map((layer) => layer.inputs.filter((name) => index.has(name)).length);
  const consumers = layers.map((): number[] => []);
  layers.forEach((layer, i) => {
    for (const name of layer.inputs) {
      const source = index.get(name);
      if (source !== undefined) consumers[source]!.push(i);
    }
  });
  // Ready layers, kept sorted by list position (descending, so the next is popped from the end).
  const ready = layers.flatMap((_, i) => (waiting[i] === 0 ? [i] : [])).reverse();
  const order: GraphLayer[] = [];
  while (ready.length > 0) {
    const i = ready.pop()!;
    order.push(layers[i]!);
    for (const consumer of consumers[i]!) {
      if (--waiting[consumer]! > 0) continue;
      const at = ready.findIndex((r) => r < consumer);
      ready.splice(at === -1 ? ready.length : at, 0, consumer);
    }
  }
  if (order.length < layers.length) throw cycleError(findCycle(layers, waiting, index));
  return order;
}

/**
 * One cycle among the layers Kahn's algorithm could not place (each still waits on an input
 * that is itself unplaced): walk back through unplaced inputs until a layer repeats.
 */
function findCycle(layers: readonly GraphLayer[], waiting: readonly number[], index: ReadonlyMap<string, number>): string[] {
  const unplaced = (name: string): boolean => {
    const i = index.get(name);
    return i !== undefined && waiting[i]! > 0;
  };
  const seen = new Map<number, number>();
  const path: number[] = [];
  let current = waiting.findIndex((w) => w > 0);
  while (!seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    current = index.get(layers[current]!.inputs.find(unplaced)!)!;
  }
  // The walk follows inputs (consumer → producer); reverse it so the cycle reads producer →
  // consumer, and start it at the layer listed first.
  const cycle = path.slice(seen.get(current)).reverse();
  const start = cycle.indexOf(Math.min(...cycle));
  return [...cycle.slice(start), ...cycle.slice(0, start)].map((i) => layers[i]!.name);
}
