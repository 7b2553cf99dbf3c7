// The `sepconv-cost` bin spawned as a process (built by test/support/build-cli.ts).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliBinPath } from './support/cli-bin.js';

function sepconvCost(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cliBinPath, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('sepconv-cost (spawned)', () => {
  it("mobilenet-v1 reports the paper's 568,740,352 multiply-adds and Keras's 4,253,864 parameters", () => {
    const { status, stdout, stderr } = sepconvCost('mobilenet-v1');
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout).toContain('\nTotal params: 4,253,864\n');
    expect(stdout).toMatch(
      /\nMult-adds: 568,740,352 \(568\.7M\)\nFLOPs: 1,137,480,704\nSize: float32 17,015,456 B \(17\.02 MB\); int8 4,352,416 B \(4\.35 MB\)\n$/,
    );
  });

  it("--version prints the version in the CLI's package.json, bundled into the bin", () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(sepconvCost('--version')).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('mobilenet-v1 --alpha 0.75 --resolution 192 prints the per-layer table and totals', () => {
    const { status, stdout, stderr } = sepconvCost('mobilenet-v1', '--alpha', '0.75', '--resolution', '192');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('Model: "mobilenet_0.75_192"');
    expect(stdout).toMatch(/\nconv_dw_13 \(depthwiseConv2d\)\s+\[1, 6, 6, 768\]\s+6,912\s+248,832\n/);
    expect(stdout).toMatch(/\nTotal params: 2,601,976\n/);
    expect(stdout).toMatch(/\nMult-adds: 239,[\d,]+ \(239\.\dM\)\n/);
  });

  it('conv --in 14x14x512 --out 512 --kernel 3 --json prints machine-readable costs', () => {
    const { status, stdout } = sepconvCost('conv', '--in', '14x14x512', '--out', '512', '--kernel', '3', '--json');
    expect(status).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.standard.multAdds).toBe(462_422_016);
    expect(result.separable.multAdds).toBe(52_283_392);
    expect(result.reduction).toBeCloseTo(1 / 512 + 1 / 9, 12);
  });

  it('demo prints the standard-vs-separable table', () => {
    const { status, stdout } = sepconvCost('demo');
    expect(status).toBe(0);
    expect(stdout).toMatch(/block 13\s+7x7x1024\s+1024\s+1\s+462,422,016\s+51,831,808/);
  });

  it.each([
    [['mobilenet-v1', '--alpha', 'abc'], /^error: option '--alpha <number>' argument 'abc' is invalid\. Expected a positive number\.\n/],
    [['conv', '--in', '14x14x512', '--out', '512', '--frobnicate'], /^error: unknown option '--frobnicate'\n/],
    [['mobilenet-v1', '--resolution', '2'], /^error: mobilenetV1: options.resolution 2 is too small for the network/],
  ])('%j exits non-zero with one clear message and no stack trace', (args, message) => {
    const { status, stdout, stderr } = sepconvCost(...args);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);
  });
});
