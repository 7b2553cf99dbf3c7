// `pnpm --filter consumer-check sizes`: packs every published package (build them first:
// `pnpm build`), installs the tarballs into a temporary npm project and writes their packed
// and minified+gzipped sizes, plus what a cost-only import bundles, to
// apps/bench/results/package-sizes.json (the bench's results folder, read by the docs).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { version as esbuildVersion } from 'esbuild';
import { createConsumerProject } from './consumer-project.js';
import { packPackages } from './pack-packages.js';
import { measureCostOnlyBundle, measurePackageSizes } from './package-sizes.js';
import { publishedPackages, workspaceRoot } from './published-packages.js';

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspaceRoot, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

const workDir = mkdtempSync(join(tmpdir(), 'sepconv-sizes-'));
try {
  const packed = await packPackages(publishedPackages(), join(workDir, 'tarballs'));
  const projectDir = join(workDir, 'project');
  await createConsumerProject(projectDir, packed);
  const report = {
    kind: 'package-sizes',
    generatedAt: new Date().toISOString(),
    commit: gitCommit(),
    machine: { node: process.version, platform: platform(), arch: arch(), cpu: cpus()[0]?.model ?? 'unknown' },
    method: {
      packed: 'pnpm pack (publishConfig applied); packedBytes is the .tgz, unpackedBytes the files it installs',
      bundled: `esbuild ${esbuildVersion}, ESM, platform browser, target es2022, minified, gzip level 9; \`export * from '<entry point>'\`; minifiedBytes/gzipBytes leave other @sepconv packages external, withDependencies includes them`,
    },
    packages: await measurePackageSizes(projectDir, packed),
    costOnly: await measureCostOnlyBundle(projectDir),
  };
  if (report.costOnly.kernelCode.length > 0) {
    throw new Error(`a cost-only import bundles kernel code: ${report.costOnly.kernelCode.join(', ')}`);
  }
  const resultsDir = join(workspaceRoot, 'apps/bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, 'package-sizes.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  for (const pkg of report.packages) {
    for (const entry of pkg.entryPoints) {
      console.log(
        `${entry.specifier.padEnd(28)} packed ${(pkg.packedBytes / 1024).toFixed(1).padStart(6)} kB  min ${(entry.minifiedBytes / 1024).toFixed(1).padStart(6)} kB  min+gz ${(entry.gzipBytes / 1024).toFixed(1).padStart(5)} kB  (with deps ${(entry.withDependencies.gzipBytes / 1024).toFixed(1)} kB)`,
      );
    }
  }
  console.log(
    `cost-only import: min+gz ${(report.costOnly.gzipBytes / 1024).toFixed(1)} kB from ${Object.keys(report.costOnly.packages).join(', ')}; no kernel code`,
  );
  console.log(`wrote ${file}`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
