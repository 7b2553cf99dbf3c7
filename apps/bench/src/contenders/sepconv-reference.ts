import { createReferenceBackend } from '@sepconv/tensor/reference';
import { caseCost } from '../case-layers.js';
import type { Contender } from '../contender.js';
import { setupSepconvCase } from './sepconv-runner.js';

/**
 * Above this many multiply-adds the reference backend (float64 scalar loops, about 0.1–0.3
 * GFLOP/s) would take seconds per run; it is the oracle, not a contender for speed.
 */
const REFERENCE_MAX_MULT_ADDS = 4_000_000;

/**
 * sepconv's reference backend: the definition every backend is tested against. Listed first
 * so that, on the small cases it runs, every other engine is checked against it.
 */
export const sepconvReference: Contender = {
  name: 'sepconv-reference',
  kind: 'cpu',
  role: 'sepconv',
  threads: 1,
  packageName: '@sepconv/tensor',
  supports(layerCase) {
    const { multAdds } = caseCost(layerCase);
    return multAdds <= REFERENCE_MAX_MULT_ADDS || `reference kernels run only cases up to ${REFERENCE_MAX_MULT_ADDS / 1e6}M multiply-adds`;
  },
  setup: (layerCase, inputs) => setupSepconvCase(createReferenceBackend(), layerCase, inputs),
};
