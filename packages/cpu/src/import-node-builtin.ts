/** The Node built-ins the CPU backend reaches, and their module types. */
interface NodeBuiltins {
  os: typeof import('node:os');
  worker_threads: typeof import('node:worker_threads');
}

/**
 * Imports a Node built-in at run time, for callers that have checked they run on Node. The
 * specifier is computed so that browser bundlers neither try to resolve it nor warn that they
 * externalised it (Vite: `Module "node:os" has been externalized for browser compatibility`);
 * a browser never reaches the call.
 */
export function importNodeBuiltin<Name extends keyof NodeBuiltins>(name: Name): Promise<NodeBuiltins[Name]> {
  const specifier = `node:${name}`;
  return import(/* @vite-ignore */ specifier) as Promise<NodeBuiltins[Name]>;
}
