// Repository-level tests (the import-direction lint); each package has its own config.
import { sepconvVitestConfig } from './vitest.shared.js';

export default sepconvVitestConfig('repo');
