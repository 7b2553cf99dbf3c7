import { sepconvVitestConfig } from '../../vitest.shared.js';

export default sepconvVitestConfig('cost');
