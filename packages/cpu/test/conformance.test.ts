import { describeBackendConformance } from '@sepconv/conformance';
import { createCpuBackend, cpuQuantizedVariants, cpuVariants, isaSupport } from '../src/index.js';

const support = isaSupport();
const runsHere = (v: { isa: Parameters<typeof support.get>[0] }): boolean => support.get(v.isa) === undefined;

describeBackendConformance('cpu (1 thread)', (options) => createCpuBackend({ threads: 1, variant: options.variant }), {
  variants: cpuVariants.filter(runsHere),
  int8Variants: cpuQuantizedVariants.filter(runsHere),
  unavailableVariants: [...cpuVariants, ...cpuQuantizedVariants]
    .filter((v) => !runsHere(v))
    .map((v) => ({ name: v.name, reason: support.get(v.isa)! })),
  memory: (backend) => backend.allocatedBytes,
});
