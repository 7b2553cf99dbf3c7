import type { Backend, KernelName } from '@sepconv/tensor';
import { describe, it } from 'vitest';
import type { ConformanceCase } from './conformance-case.js';
import { residualCases } from './residual-cases.js';

/** The title of the skipped test a backend gets for an op whose `residualOps` leaves it out. */
export function residualNotDeclaredTitle(op: KernelName): string {
  return `${op} with options.residual: not run, backend does not list ${op} in residualOps`;
}

/**
 * The residual cases (`options.residual` added after the bias, before the activation) of each
 * op the backend lists in `residualOps`, against the reference; one skipped test per op it does
 * not list. Probes `createBackend()` once while collecting, so the titles say which ran.
 */
export function describeResidualConformance(createBackend: () => Backend | Promise<Backend>, check: (c: ConformanceCase) => Promise<void>): void {
  describe('options.residual (fused residual add)', async () => {
    let ops: readonly KernelName[];
    try {
      const probe = await createBackend();
      ops = probe.residualOps ?? [];
      probe.dispose();
    } catch (error) {
      it('residual: the backend could not be created to probe its residualOps', () => {
        throw error;
      });
      return;
    }
    for (const op of ['conv2d', 'depthwiseConv2d', 'pointwiseConv2d', 'separableConv2d'] as const) {
      if (!ops.includes(op)) {
        it.skip(residualNotDeclaredTitle(op), () => {});
        continue;
      }
      for (const c of residualCases.filter((k) => k.op === op)) it(c.name, () => check(c));
    }
  });
}
