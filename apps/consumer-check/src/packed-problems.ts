import { readFileSync } from 'node:fs';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { dependencyRanges, exportTargets, type PackedPackage } from './pack-packages.js';

/**
 * What the packaging conventions (CONTRIBUTING.md) and the issue ask of a packed manifest, checked on the
 * tarball's own package.json: ESM, side-effect free, every `exports` entry pointing into the
 * tarball with `types` first, every `bin` a built file in the tarball, no `workspace:` range
 * left, only built files shipped, and the metadata npm shows. Returns one line per problem; empty when the package is fine.
 */
export function manifestProblems(pkg: PackedPackage): string[] {
  const { manifest, files } = pkg;
  const problems: string[] = [];
  const shipped = new Set(files);
  if (manifest.type !== 'module') problems.push(`type is ${JSON.stringify(manifest.type)}, expected "module"`);
  if (manifest.sideEffects !== false) problems.push('sideEffects is not false');
  if (manifest.publishConfig !== undefined && JSON.stringify(manifest.publishConfig) !== JSON.stringify({ access: 'public' })) {
    problems.push(`publishConfig was not applied by pnpm pack: ${JSON.stringify(manifest.publishConfig)}`);
  }
  for (const [subpath, conditions] of Object.entries(manifest.exports ?? {})) {
    if (subpath === './package.json') continue;
    if (typeof conditions !== 'object' || conditions === null) {
      problems.push(`exports['${subpath}'] has no conditions (types first, then default)`);
      continue;
    }
    const keys = Object.keys(conditions);
    if (keys[0] !== 'types') problems.push(`exports['${subpath}'] lists ${keys.join(', ')}: types must come first`);
  }
  for (const target of exportTargets(manifest)) {
    if (!target.startsWith('dist/') && target !== 'package.json') problems.push(`exports point at ${target}, outside dist/`);
    if (!shipped.has(target)) problems.push(`exports point at ${target}, which is not in the tarball`);
  }
  for (const [name, target] of Object.entries(typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {}))) {
    const file = target.replace(/^\.\//, '');
    if (!file.startsWith('dist/') || !shipped.has(file)) problems.push(`bin ${name} points at ${target}, not a built file in the tarball`);
  }
  for (const [name, range] of dependencyRanges(manifest)) {
    if (range.startsWith('workspace:') || range.startsWith('catalog:')) problems.push(`dependency ${name} is still ${range}`);
  }
  for (const file of files) {
    if (!/^(dist\/|package\.json$|README\.md$|CHANGELOG\.md$|LICENSE$)/.test(file)) problems.push(`ships ${file}, which users do not need`);
  }
  for (const required of ['README.md', 'LICENSE']) if (!shipped.has(required)) problems.push(`does not ship ${required}`);
  if (!manifest.engines?.node) problems.push('has no engines.node');
  if (!manifest.license) problems.push('has no license');
  if (!manifest.repository) problems.push('has no repository');
  if (!manifest.keywords?.length) problems.push('has no keywords');
  return problems;
}

/**
 * publint on the installed (unpacked) tarball: `pkgDir` must be the package as npm put it
 * into node_modules, so what is linted is exactly what was published. Strict: warnings count.
 */
export async function publintProblems(pkgDir: string): Promise<string[]> {
  const { messages, pkg } = await publint({ pkgDir, pack: false, strict: true, level: 'suggestion' });
  return messages.map((message) => `${message.type}: ${formatMessage(message, pkg) ?? message.code}`);
}

/** Resolution modes an ESM-only package does not serve (attw's `esm-only` profile). */
const IGNORED_RESOLUTIONS = new Set(['node10', 'node16-cjs']);

/**
 * @arethetypeswrong's checks on the tarball with the ESM-only profile: every entry point's
 * types resolve, match the JavaScript's module format and its exports, under Node's ESM
 * resolution and a bundler's.
 */
export async function typesProblems(tarball: string): Promise<string[]> {
  const analysis = await checkPackage(createPackageFromTarballData(new Uint8Array(readFileSync(tarball))));
  if (!('problems' in analysis)) return [`attw could not analyse the package: ${JSON.stringify(analysis)}`];
  return analysis.problems
    .filter((problem) => !('resolutionKind' in problem) || !IGNORED_RESOLUTIONS.has(problem.resolutionKind))
    .map((problem) => JSON.stringify(problem));
}
