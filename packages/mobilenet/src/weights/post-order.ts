/**
 * The nodes reachable from `roots` (following `inputsOf`), each after every node it reads:
 * an iterative depth-first walk, so a chain of 100,000 nodes costs no stack, and the nodes
 * only some dead branch reads are left out. `inputsOf` returns names of existing nodes only
 * (the caller reports dangling references).
 * @param onCycle builds the error thrown for a cycle, given its nodes in order.
 */
export function postOrder(
  roots: readonly string[],
  inputsOf: (name: string) => readonly string[],
  onCycle: (cycle: readonly string[]) => Error,
): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  /** Position of each node on the walk's current path. */
  const onPath = new Map<string, number>();
  const path: { name: string; inputs: readonly string[]; next: number }[] = [];
  const enter = (name: string): void => {
    onPath.set(name, path.length);
    path.push({ name, inputs: inputsOf(name), next: 0 });
  };
  for (const root of roots) {
    if (done.has(root)) continue;
    enter(root);
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      if (top.next < top.inputs.length) {
        const input = top.inputs[top.next++]!;
        if (done.has(input)) continue;
        const at = onPath.get(input);
        if (at !== undefined) throw onCycle(path.slice(at).map((p) => p.name));
        enter(input);
      } else {
        path.pop();
        onPath.delete(top.name);
        done.add(top.name);
        order.push(top.name);
      }
    }
  }
  return order;
}
