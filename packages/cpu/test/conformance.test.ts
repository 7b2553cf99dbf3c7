import { describeBackendConformance } from '@sepconv/conformance';
import { createCpuBackend, cpuQuantizedVariants, cpuVariants, variantSupport } from '../src/index.js';

const runsHere = (v: Parameters<typeof variantSupport>[0]): boolean => variantSupport(v) === undefined;

describeBackendConformance('cpu (1 thread)', (options) => createCpuBackend({ threads: 1, variant: options.variant }), {
  variants: cpuVariants.filter(runsHere),
  int8Variants: cpuQuantizedVariants.filter(runsHere),
  unavailableVariants: [...cpuVariants, ...cpuQuantizedVariants]
    .filter((v) => !runsHere(v))
    .map((v) => ({ name: v.name, reason: variantSupport(v)! })),
  memory: (backend) => backend.allocatedBytes,
});
