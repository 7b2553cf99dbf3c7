import { cpuVariants, type CpuBackend, type CpuKernelVariant } from '@sepconv/cpu';
import { caseSteps, type LayerCase } from '../cases/layer-case.js';
import type { Contender } from '../contender.js';
import { setupSepconvCpuCase } from './sepconv-cpu.js';

function variantSupports(variant: CpuKernelVariant, layerCase: LayerCase): true | string {
  const steps = caseSteps(layerCase);
  if (variant.op === 'separableConv2d') {
    if (layerCase.op !== 'separableConv2d') return `${variant.name} is a separableConv2d kernel`;
    return variant.supports({ depthwise: steps[0]!, pointwise: steps[1]! }) || `${variant.name} does not support this geometry`;
  }
  if (layerCase.op !== variant.op) return `${variant.name} is a ${variant.op} kernel`;
  return variant.supports(steps[0]!) || `${variant.name} does not support this geometry`;
}

/**
 * One contender per kernel variant of `@sepconv/cpu` (`--variants`), each a 1-thread backend
 * forced onto that variant, running only the cases of its op whose geometry it supports. The
 * list is `cpuVariants`, the one the backend dispatches from and the conformance suite forces.
 * A variant whose ISA this runtime lacks (relaxed SIMD without the flag) is reported unavailable.
 * Inputs are made resident once, as for `sepconv-cpu`.
 */
export function sepconvCpuVariantContenders(): Contender[] {
  return cpuVariants.map((variant): Contender => {
    let backend: CpuBackend | undefined;
    const name = `sepconv-cpu[${variant.name}]`;
    return {
      name,
      kind: 'cpu',
      role: 'sepconv',
      threads: 1,
      packageName: '@sepconv/cpu',
      async init() {
        const { createCpuBackend } = await import('@sepconv/cpu');
        backend = await createCpuBackend({ threads: 1, variant: variant.name });
      },
      supports: (layerCase) => variantSupports(variant, layerCase),
      async setup(layerCase, inputs) {
        if (!backend) throw new Error(`${name}: setup() before init()`);
        return setupSepconvCpuCase(backend, layerCase, inputs);
      },
      async close() {
        backend?.dispose();
        backend = undefined;
      },
    };
  });
}
