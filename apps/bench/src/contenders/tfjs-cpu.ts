import type { Contender } from '../contender.js';
import { loadTfjs, setupTfjsCase } from './tfjs-runner.js';

/** TensorFlow.js's plain JavaScript CPU backend, the fallback every tfjs install has. */
export const tfjsCpu: Contender = {
  name: 'tfjs-cpu',
  kind: 'cpu',
  role: 'peer',
  threads: 1,
  packageName: '@tensorflow/tfjs-backend-cpu',
  async init() {
    const tf = await loadTfjs();
    if (!(await tf.setBackend('cpu'))) throw new Error('tfjs could not start its cpu backend');
  },
  setup: (layerCase, inputs) => setupTfjsCase('cpu', layerCase, inputs),
};
