// Repository-level tests (the import-direction lint); each package has its own config.
import { sepconvVitestConfig } from './vitest.shared.js';

// ESLint's first run loads the TypeScript parser: seconds on a loaded 2-core machine.
export default sepconvVitestConfig('repo', { test: { testTimeout: 60_000 } });
