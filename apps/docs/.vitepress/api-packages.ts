/** A package that gets a page in the API reference: its folder under `packages/`. */
export interface ApiPackage {
  readonly dir: string;
}

/** The published packages in the order the reference lists them (dependencies first). */
export const apiOrder: readonly ApiPackage[] = [
  { dir: 'tensor' },
  { dir: 'graph' },
  { dir: 'cost' },
  { dir: 'cpu' },
  { dir: 'webgpu' },
  { dir: 'mobilenet' },
  // A command, not a library: its reference is its commands' help (scripts/generate-api.ts).
  { dir: 'cli' },
];
