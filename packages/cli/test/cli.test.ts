// The CLI run in-process (fast); test/cli-e2e.test.ts spawns the built bin.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.js';

const ownVersion = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

describe('sepconv-cost mobilenet-v1 / mobilenet-v2', () => {
  it('--json gives the model cost with per-layer entries', async () => {
    const { code, out, err } = await run('mobilenet-v1', '--json');
    expect([code, err]).toEqual([0, '']);
    const cost = JSON.parse(out);
    expect(cost).toMatchObject({
      name: 'mobilenet_1.00_224',
      multAdds: 568_740_352,
      params: { total: 4_253_864, trainable: 4_231_976, weights: 4_209_088 },
    });
    expect(cost.layers[0]).toMatchObject({ name: 'conv1', type: 'conv2d', multAdds: 10_838_016 });
  });

  it('--standard counts the full-convolution baseline', async () => {
    const { out } = await run('mobilenet-v1', '--standard', '--json');
    expect(JSON.parse(out).multAdds).toBe(4_867_293_184);
  });

  it('mobilenet-v2 with a roofline profile adds the prediction', async () => {
    const { code, out } = await run(
      'mobilenet-v2',
      '--resolution',
      '96',
      '--peak-gflops',
      '100',
      '--bandwidth-gbs',
      '10',
      '--device',
      'slow',
      '--json',
    );
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.name).toBe('mobilenetv2_1.00_96');
    expect(result.prediction).toMatchObject({ name: 'mobilenetv2_1.00_96', profile: { name: 'slow', peakFlops: 1e11, memoryBandwidth: 1e10 } });
    expect(result.prediction.seconds).toBeGreaterThan(result.flops / 1e11);
  });
});

describe('sepconv-cost conv', () => {
  it("prints standard vs separable and the reduction for the paper's 14x14x512 layer", async () => {
    const { code, out } = await run('conv', '--in', '14x14x512', '--out', '512', '--kernel', '3');
    expect(code).toBe(0);
    expect(out).toMatch(/standard 3x3 conv\s+462,422,016\s+2,359,296/);
    expect(out).toMatch(/depthwise separable\s+52,283,392\s+266,752/);
    expect(out).toMatch(/  depthwise 3x3\s+903,168\s+4,608/);
    expect(out).toMatch(/  pointwise 1x1\s+51,380,224\s+262,144/);
    expect(out).toContain('1/N + 1/D_K^2 = 1/512 + 1/9 = 0.1131');
  });

  it('--json, with stride, valid padding, bias and a batch', async () => {
    const { out } = await run('conv', '--in', '9x9x4', '--out', '8', '--stride', '2', '--padding', 'valid', '--bias', '--batch', '2', '--json');
    const result = JSON.parse(out);
    expect(result.layer).toMatchObject({ inputShape: [2, 9, 9, 4], outputShape: [2, 4, 4, 8], useBias: true, padding: 'valid' });
    expect(result.standard.multAdds).toBe(2 * 4 * 4 * 8 * 9 * 4);
    expect(result.reduction).toBeCloseTo(1 / 8 + 1 / 9, 12);
  });

  it('roofline columns with a profile', async () => {
    const { out } = await run('conv', '--in', '14x14x512', '--out', '512', '--peak-gflops', '400', '--bandwidth-gbs', '60');
    expect(out).toMatch(/standard 3x3 conv\s+[\d,]+\s+[\d,]+\s+[\d,]+\s+[\d.]+ [µm]s\s+compute/);
  });
});

describe('sepconv-cost demo', () => {
  it('prints the MobileNet-like layers and the whole network both ways', async () => {
    const { code, out } = await run('demo');
    expect(code).toBe(0);
    expect(out).toMatch(/block 7\s+14x14x512\s+512\s+1\s+462,422,016\s+52,283,392\s+0\.1131\s+0\.1131\s+8\.8x/);
    expect(out).toContain('4867.3M mult-adds');
    expect(out).toContain('568.7M');
  });

  it('--json', async () => {
    const result = JSON.parse((await run('demo', '--json')).out);
    expect(result.layers).toHaveLength(6);
    expect(result.network).toMatchObject({ standardMultAdds: 4_867_293_184, separableMultAdds: 568_740_352 });
  });
});

describe('bad input: a clear message, a non-zero exit, no stack trace', () => {
  it.each([
    [['mobilenet-v1', '--alpha', 'abc'], /error: option '--alpha <number>' argument 'abc' is invalid\. Expected a positive number\./],
    [['mobilenet-v1', '--alpha', '-1'], /argument '-1' is invalid/],
    [['mobilenet-v1', '--resolution', '22.5'], /option '--resolution <pixels>' argument '22.5' is invalid\. Expected a positive integer\./],
    [['mobilenet-v1', '--resolution', ''], /argument '' is invalid/],
    [['mobilenet-v1', '--bogus'], /error: unknown option '--bogus'/],
    [['mobilenet-v3'], /error: unknown command 'mobilenet-v3'/],
    [['conv', '--in', '14x14', '--out', '512'], /argument '14x14' is invalid\. Expected HEIGHTxWIDTHxCHANNELS/],
    [['conv', '--in', '14x14x512'], /error: required option '--out <channels>' not specified/],
    [['conv', '--in', '14x14x512', '--out', '8', '--padding', 'full'], /argument 'full' is invalid\. Allowed choices are same, valid\./],
    [
      ['conv', '--in', '2x2x4', '--out', '8', '--kernel', '5', '--padding', 'valid'],
      /error: conv2dLayer: filter's dilated extent 5x5 .* larger than the padded input 2x2/,
    ],
    [
      ['mobilenet-v1', '--resolution', '2'],
      /error: mobilenetV1: options.resolution 2 is too small for the network \(depthwiseConv2dLayer: .*larger than the padded input/,
    ],
    [['mobilenet-v1', '--peak-gflops', '100'], /error: --peak-gflops and --bandwidth-gbs go together/],
    // A batch holds at least one example: 0 gave "Infinityx fewer" (0 / 0 mult-adds).
    [
      ['conv', '--in', '14x14x512', '--out', '512', '--batch', '0'],
      /error: option '--batch <count>' argument '0' is invalid\. Expected a positive integer\./,
    ],
    [['mobilenet-v1', '--batch', '0'], /argument '0' is invalid\. Expected a positive integer\./],
    [['mobilenet-v2', '--batch', '0'], /argument '0' is invalid\. Expected a positive integer\./],
    // 1e308 GFLOP/s is Infinity FLOP/s: said so, not "got null".
    [
      ['conv', '--in', '14x14x512', '--out', '512', '--peak-gflops', '1e308', '--bandwidth-gbs', '10'],
      /error: option '--peak-gflops <number>' argument '1e308' is invalid\. Expected a number from 1e-9 to 1\.797e\+299 \(1 to 1\.797e\+308 per second\)\./,
    ],
    [['mobilenet-v1', '--peak-gflops', '100', '--bandwidth-gbs', '1e300'], /option '--bandwidth-gbs <number>' argument '1e300' is invalid/],
    // Below 1 FLOP/s a network's time overflows to Infinity.
    [['mobilenet-v1', '--peak-gflops', '1e-310', '--bandwidth-gbs', '1e-310'], /option '--peak-gflops <number>' argument '1e-310' is invalid/],
  ])('%j', async (args, message) => {
    const { code, out, err } = await run(...args);
    expect(code).not.toBe(0);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\n\s+at /);
    expect(out).toBe('');
  });

  it('never prints null, NaN or Infinity, even for extreme but valid rates', async () => {
    for (const args of [
      ['conv', '--in', '14x14x512', '--out', '512', '--peak-gflops', '1e-9', '--bandwidth-gbs', '1e-9'],
      ['conv', '--in', '1x1x1', '--out', '1', '--kernel', '1', '--peak-gflops', '1.797e299', '--bandwidth-gbs', '1.797e299'],
      ['mobilenet-v2', '--batch', '1000', '--peak-gflops', '1e-9', '--bandwidth-gbs', '1e-9'],
    ]) {
      const { code, out, err } = await run(...args);
      expect(code, err).toBe(0);
      expect(out).not.toMatch(/null|NaN|Infinity/);
    }
  });

  it('--help prints usage and exits 0', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    expect(out).toMatch(/Usage: sepconv-cost/);
    expect(out).toMatch(/mobilenet-v1/);
    expect(out).toMatch(/conv/);
  });

  it.each([['--version'], ['-V']])("%s prints the CLI package's own version and exits 0", async (flag) => {
    expect(await run(flag)).toEqual({ code: 0, out: `${ownVersion}\n`, err: '' });
  });
});
