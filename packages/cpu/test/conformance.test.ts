import { describeBackendConformance } from '@sepconv/conformance';
import { createCpuBackend, cpuVariants, isaSupport } from '../src/index.js';

const support = isaSupport();

describeBackendConformance('cpu (1 thread)', (options) => createCpuBackend({ threads: 1, variant: options.variant }), {
  variants: cpuVariants.filter((v) => support.get(v.isa) === undefined),
  unavailableVariants: cpuVariants.filter((v) => support.get(v.isa) !== undefined).map((v) => ({ name: v.name, reason: support.get(v.isa)! })),
  memory: (backend) => backend.allocatedBytes,
});
