import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JOB_WORDS, JobSlot, WasmKernel } from '../src/wasm/job-layout.js';

// The job record is written by TypeScript and read by AssemblyScript: both lists must agree.
const source = readFileSync(new URL('../assembly/job.ts', import.meta.url), 'utf8');
const constants = new Map([...source.matchAll(/export const (\w+) = (\d+);/g)].map((m) => [m[1]!, Number(m[2])]));
const toConstant = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

describe('job layout', () => {
  it('has the same slot offsets as assembly/job.ts', () => {
    for (const [name, slot] of Object.entries(JobSlot)) {
      const constant = toConstant(name);
      expect(constants.get(constant), `${name} (${constant})`).toBe(slot);
      expect(slot).toBeLessThan(JOB_WORDS);
    }
  });

  it('has the same kernel ids as assembly/job.ts', () => {
    const names: Record<keyof typeof WasmKernel, string> = {
      dwconvGeneric: 'DWCONV_GENERIC',
      dwconv3x3s1: 'DWCONV_3X3S1',
      dwconv3x3s2: 'DWCONV_3X3S2',
      gemm: 'GEMM',
      igemm: 'IGEMM',
      sepconvFused: 'SEPCONV_FUSED',
      trap: 'TRAP',
    };
    for (const [name, id] of Object.entries(WasmKernel)) {
      expect(constants.get(names[name as keyof typeof WasmKernel]), name).toBe(id);
    }
  });
});
