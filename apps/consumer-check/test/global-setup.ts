// Packs every published package and installs the tarballs into one fresh npm project in the
// system temp folder (outside the workspace) once for all test files; they receive its paths
// through vitest's provide/inject. turbo builds the packages first (consumer-check#test
// depends on ^build).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createConsumerProject } from '../src/consumer-project.js';
import { packPackages, type PackedPackage } from '../src/pack-packages.js';
import { publishedPackages } from '../src/published-packages.js';

export interface ConsumerContext {
  /** The temporary folder holding `tarballs/` and `project/`. */
  readonly workDir: string;
  /** The npm project with every tarball installed and the fixtures copied in. */
  readonly projectDir: string;
  readonly packed: readonly PackedPackage[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    consumer: ConsumerContext;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const workDir = mkdtempSync(join(tmpdir(), 'sepconv-consumer-'));
  const packed = await packPackages(publishedPackages(), join(workDir, 'tarballs'));
  const projectDir = join(workDir, 'project');
  await createConsumerProject(projectDir, packed);
  project.provide('consumer', { workDir, projectDir, packed });
  return () => rmSync(workDir, { recursive: true, force: true });
}
