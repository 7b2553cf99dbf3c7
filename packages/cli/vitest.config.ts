import { sepconvVitestConfig } from '../../vitest.shared.js';

export default sepconvVitestConfig('cli', {
  test: { globalSetup: ['test/support/build-cli.ts'] },
});
