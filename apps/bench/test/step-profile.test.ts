// The per-step profile (`bench:networks --profile`): structure only, never speed.
import { describe, expect, it } from 'vitest';
import { quickNetworks } from '../src/networks/network-case.js';
import { formatStepProfile } from '../src/networks/step-profile-report.js';
import { profileNetworkSteps } from '../src/networks/step-profile.js';

describe('the per-step network profile', () => {
  const networkCase = quickNetworks.find((c) => c.model === 'mobilenet-v3-large' && c.source !== 'onnx')!;

  it('times every kernel job of the network on each thread count, in run order', async () => {
    const profile = await profileNetworkSteps(networkCase, [1, 2], 2);
    expect(profile.caseId).toBe(networkCase.id);
    expect(profile.steps.length).toBeGreaterThan(20);
    expect(new Set(profile.steps.map((s) => s.op))).toEqual(
      new Set(['mul', 'add', 'conv2d', 'separableConv2d', 'pointwiseConv2d', 'depthwiseConv2d', 'globalPool2d']),
    );
    for (const step of profile.steps) {
      expect(step.runs.map((r) => r.threads)).toEqual([1, 2]);
      expect(step.runs[0]!.chunks).toBe(1);
      for (const run of step.runs) {
        expect(run.best).toBeGreaterThanOrEqual(0);
        expect(run.median).toBeGreaterThanOrEqual(run.best);
      }
    }
    // The first layer of a 64×64 network is big enough to split on 2 threads; the SE layers' 1-pixel convolutions are not.
    expect(profile.steps.some((s) => s.runs[1]!.chunks > 1)).toBe(true);
    expect(profile.steps.some((s) => s.runs[1]!.chunks === 1)).toBe(true);
    for (const [index, whole] of profile.predict.entries()) {
      const steps = profile.steps.reduce((sum, s) => sum + s.runs[index]!.best, 0);
      expect(whole.best).toBeGreaterThan(0);
      expect(steps).toBeLessThanOrEqual(whole.median);
    }
    const text = formatStepProfile(profile);
    expect(text).toContain(`${networkCase.id}: per-step profile on 1 and 2 thread(s)`);
    expect(text).toMatch(/separableConv2d (split|whole \(1 thread\))/);
    expect(text).toContain('whole predict (best / median)');
    expect(text).toContain('host, outside the jobs');
  });

  it("profiles an ONNX-file case's plan, compiled from the file", async () => {
    const onnxCase = quickNetworks.find((c) => c.model === 'mobilenet-v3-large' && c.source === 'onnx')!;
    const profile = await profileNetworkSteps(onnxCase, [2], 1);
    expect(profile.caseId).toBe(onnxCase.id);
    // torchvision's file has no input rescaling (the spec's mul and add) and its residual adds fold into the convolutions.
    expect(new Set(profile.steps.map((s) => s.op))).toEqual(
      new Set(['mul', 'conv2d', 'separableConv2d', 'pointwiseConv2d', 'depthwiseConv2d', 'globalPool2d']),
    );
  });

  it('unpipelined: the same jobs, said in the title', async () => {
    const pipelined = await profileNetworkSteps(networkCase, [2], 1);
    const atFlush = await profileNetworkSteps(networkCase, [2], 1, { pipeline: false });
    expect(atFlush.steps.map((s) => s.op)).toEqual(pipelined.steps.map((s) => s.op));
    expect(formatStepProfile(atFlush)).toContain('per-step profile on 2 thread(s), jobs run at the flush (unpipelined)');
    expect(formatStepProfile(pipelined)).not.toContain('unpipelined');
  });
});
