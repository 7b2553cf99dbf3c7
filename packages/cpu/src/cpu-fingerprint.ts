import type { Isa } from './isa.js';
import { importNodeBuiltin } from './import-node-builtin.js';

/**
 * What identifies this CPU for cached tuning results (`backend.fingerprint()`): the instruction
 * set and threads the kernels use, the processor (Node: its model name) and the JavaScript
 * engine (Node's version or the browser's user agent), since each changes which variant wins.
 */
export async function cpuFingerprint(isa: Isa, threads: number): Promise<string> {
  const parts = [`cpu ${isa} ${threads} thread${threads === 1 ? '' : 's'}`];
  const nodeVersion = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  if (nodeVersion !== undefined) {
    try {
      const os = await importNodeBuiltin('os');
      parts.push(`${os.cpus()[0]?.model ?? 'unknown processor'} ×${os.availableParallelism()}`);
    } catch {
      // A sandbox without node:os still runs: the fingerprint is coarser.
    }
    parts.push(`node ${nodeVersion}`);
  } else {
    const navigator = (globalThis as { navigator?: { userAgent?: string; hardwareConcurrency?: number } }).navigator;
    parts.push(`${navigator?.hardwareConcurrency ?? '?'} cores`, navigator?.userAgent ?? 'unknown runtime');
  }
  return parts.join('; ');
}
