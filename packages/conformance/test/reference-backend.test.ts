// The reference backend passes its own suite: this pins the suite's bookkeeping (shapes,
// bad input, special values) and its cases, whose expected values are checked against an
// independent implementation in tfjs-agreement.test.ts.
import { createReferenceBackend } from '@sepconv/tensor/reference';
import { describeBackendConformance } from '../src/index.js';

describeBackendConformance('reference', () => createReferenceBackend());
