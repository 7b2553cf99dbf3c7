// The dependency-direction lint must fail on the imports ARCHITECTURE.md forbids and pass the
// ones it allows; linted as text at the path the file would have.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function importErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import direction', () => {
  it.each([
    ['packages/tensor/src/bad.ts', "import { modelCost } from '@sepconv/cost';", /may import no other @sepconv package/],
    ['packages/tensor/src/bad.ts', "import { modelSpec } from '@sepconv/graph';", /may import no other @sepconv package/],
    ['packages/graph/src/bad.ts', "import { modelCost } from '@sepconv/cost';", /may import @sepconv\/tensor\./],
    ['packages/graph/src/bad.ts', "import { mobilenetV1 } from '@sepconv/mobilenet';", /Dependencies point down only/],
    ['packages/cost/src/bad.ts', "import { mobilenetV1 } from '@sepconv/mobilenet';", /may import @sepconv\/tensor, @sepconv\/graph\./],
    ['packages/cost/src/bad.ts', "import { runCli } from '@sepconv/cli';", /Dependencies point down only/],
    ['packages/mobilenet/src/bad.ts', "import { runCli } from '@sepconv/cli';", /Dependencies point down only/],
    [
      'packages/cli/src/bad.ts',
      "import { createCpuBackend } from '@sepconv/cpu';",
      /may import @sepconv\/tensor, @sepconv\/graph, @sepconv\/cost, @sepconv\/mobilenet\./,
    ],
    ['packages/cli/src/bad.ts', "import { createWebGpuBackend } from '@sepconv/webgpu';", /Dependencies point down only/],
    ['packages/cli/src/bad.ts', "import { summary } from '../../mobilenet/src/spec/summary.js';", /published entry points/],
    ['packages/cost/src/bad.ts', "import { createCpuBackend } from '@sepconv/cpu';", /may import @sepconv\/tensor, @sepconv\/graph\./],
    ['packages/mobilenet/src/bad.ts', "import { createCpuBackend } from '@sepconv/cpu';", /Dependencies point down only/],
    ['packages/mobilenet/src/bad.ts', "import { createWebGpuBackend } from '@sepconv/webgpu';", /Dependencies point down only/],
    ['packages/cpu/src/bad.ts', "import { mobilenetV1 } from '@sepconv/mobilenet';", /Dependencies point down only/],
    ['packages/cpu/src/bad.ts', "import { tensor } from '@sepconv/tensor/src/tensor.js';", /published entry points/],
    ['packages/cpu/src/bad.ts', "import { tensor } from '../../tensor/src/tensor.js';", /published entry points/],
    ['apps/bench/src/bad.ts', "import { x } from '../../../packages/cpu/src/index.js';", /published entry points/],
  ])('%s: rejects %s', async (filePath, source, expected) => {
    const errors = await importErrors(filePath, `${source}\nexport const used = [${source.match(/\{ (\w+) \}/)![1]}];\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(expected);
  });

  it.each([
    ['packages/cost/src/ok.ts', "import { tensor } from '@sepconv/tensor';"],
    ['packages/cost/src/ok.ts', "import { modelSpec } from '@sepconv/graph';"],
    ['packages/graph/src/ok.ts', "import { convGeometry } from '@sepconv/tensor';"],
    ['packages/mobilenet/src/ok.ts', "import { conv2dLayer } from '@sepconv/graph';"],
    ['packages/cli/src/ok.ts', "import { mobilenetV1 } from '@sepconv/mobilenet';"],
    ['packages/cli/src/ok.ts', "import { modelCost } from '@sepconv/cost';"],
    ['packages/mobilenet/src/ok.ts', "import { modelCost } from '@sepconv/cost';"],
    ['packages/mobilenet/src/ok.ts', "import { createReferenceBackend } from '@sepconv/tensor/reference';"],
    ['packages/mobilenet/test/ok.test.ts', "import { createCpuBackend } from '@sepconv/cpu';"],
    ['packages/tensor/src/ok.ts', "import { tensor } from './tensor.js';"],
    ['apps/bench/src/ok.ts', "import { createCpuBackend } from '@sepconv/cpu';"],
  ])('%s: allows %s', async (filePath, source) => {
    const errors = await importErrors(filePath, `${source}\nexport const used = [${source.match(/\{ (\w+) \}/)![1]}];\n`);
    expect(errors).toEqual([]);
  });
});
