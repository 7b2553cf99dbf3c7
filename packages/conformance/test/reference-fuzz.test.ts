// The fuzz property on the reference itself: it must refuse exactly what it refuses and agree
// with itself, which pins the generator (valid and invalid geometries, empty batches) and the
// property's bookkeeping before other backends rely on it.
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describeConvFuzz, describeOptionFuzz } from '../src/index.js';

describeConvFuzz('reference', () => createReferenceBackend(), { numRuns: 50 });
describeOptionFuzz('reference', () => createReferenceBackend());
