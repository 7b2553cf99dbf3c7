import { fileURLToPath } from 'node:url';

/**
 * Where the end-to-end tests' build of the `sepconv-cost` bin goes: inside the package (so
 * `commander` resolves from its node_modules), in an ignored folder.
 */
export const cliBinDir = fileURLToPath(new URL('../../node_modules/.cache/sepconv-cost-test-bin/', import.meta.url));
export const cliBinPath = `${cliBinDir}cli.js`;
