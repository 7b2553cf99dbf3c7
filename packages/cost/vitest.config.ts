import { sepconvVitestConfig } from '../../vitest.shared.js';

export default sepconvVitestConfig('cost', {
  test: { globalSetup: ['test/support/build-cli.ts'] },
});
