import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { relaxedSimdSupported } from './device/device-profile.js';
import type { MachineInfo } from './results.js';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The installed version of a package the bench depends on, read from its package.json in
 * this app's node_modules (not every package exports its package.json).
 */
export function packageVersion(packageName: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(appDir, 'node_modules', packageName, 'package.json'), 'utf8')) as { version?: string };
    return manifest.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** CPU model, cores, memory and runtime versions, for the results file. */
export async function machineInfo(host: string): Promise<MachineInfo> {
  const cpuList = cpus();
  return {
    host,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    logicalCores: cpuList.length,
    platform: process.platform,
    arch: process.arch,
    totalMemoryBytes: totalmem(),
    node: process.versions.node,
    v8: process.versions.v8,
    nodeFlags: [...process.execArgv],
    loadAverage: loadavg(),
    relaxedSimd: await relaxedSimdSupported(),
  };
}
