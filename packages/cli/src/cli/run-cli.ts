import { conv2dLayer, type ModelSpec } from '@sepconv/graph';
import { compareSeparable, modelCost, predictModel, type DeviceProfile } from '@sepconv/cost';
import { mobilenetV1, mobilenetV2, summary } from '@sepconv/mobilenet';
import { Command, CommanderError, Option } from 'commander';
// Bundled into the bin by tsup, so `--version` reports the version of the package that was installed.
import cliPackage from '../../package.json' with { type: 'json' };
import { convReport } from './conv-report.js';
import { demoReport, demoResult } from './demo-report.js';
import { parseGigaRate, parseImageShape, parsePositiveInteger, parsePositiveNumber } from './parse-arguments.js';

/** Where the CLI writes; the bin passes `process.stdout` / `process.stderr`, tests collect strings. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

interface RooflineFlags {
  peakGflops?: number;
  bandwidthGbs?: number;
  device: string;
}

/** An error of the CLI's own (a flag combination), reported like commander's own errors. */
class UsageError extends Error {}

function profileFrom(flags: RooflineFlags): DeviceProfile | undefined {
  const { peakGflops, bandwidthGbs } = flags;
  if (peakGflops === undefined && bandwidthGbs === undefined) return undefined;
  if (peakGflops === undefined || bandwidthGbs === undefined) {
    throw new UsageError('--peak-gflops and --bandwidth-gbs go together: the roofline needs both.');
  }
  return { name: flags.device, peakFlops: peakGflops * 1e9, memoryBandwidth: bandwidthGbs * 1e9 };
}

function addRooflineOptions(command: Command): Command {
  return command
    .option('--peak-gflops <number>', 'device peak arithmetic in GFLOP/s (with --bandwidth-gbs: adds roofline times)', parseGigaRate)
    .option('--bandwidth-gbs <number>', 'device memory bandwidth in GB/s', parseGigaRate)
    .option('--device <name>', 'device name shown with the roofline times', 'device')
    .option('--json', 'print JSON instead of a table');
}

/** The options every MobileNet command takes, in the order its help lists them. */
function addMobileNetOptions(command: Command): Command {
  return command
    .option('--alpha <number>', 'width multiplier α', parsePositiveNumber, 1)
    .option('--resolution <pixels>', 'input height and width', parsePositiveInteger, 224)
    .option('--classes <count>', 'classifier outputs', parsePositiveInteger, 1000)
    .option('--batch <count>', 'batch size (at least 1)', parsePositiveInteger, 1);
}

function modelOutput(spec: ModelSpec, flags: RooflineFlags & { json?: boolean }, io: CliOutput): void {
  const profile = profileFrom(flags);
  if (flags.json) {
    const prediction = profile ? predictModel(spec, profile) : undefined;
    io.out(`${JSON.stringify({ ...modelCost(spec), ...(prediction ? { prediction } : {}) }, null, 2)}\n`);
  } else {
    io.out(summary(spec, { profile }));
  }
}

function program(io: CliOutput): Command {
  const root = new Command('sepconv-cost')
    .description('What a convolution or a MobileNet costs: multiply-adds, parameters, bytes, roofline time; standard vs depthwise separable.')
    .version(cliPackage.version)
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  addRooflineOptions(
    addMobileNetOptions(
      root.command('mobilenet-v1').description('MobileNetV1 (Howard et al. 2017) layer by layer: output shapes, params, mult-adds, totals'),
    )
      .option('--depth-multiplier <count>', 'depthwise channel multiplier', parsePositiveInteger, 1)
      .option('--standard', "full 3x3 convolutions instead of depthwise separable (the paper's Table 4 baseline)"),
  ).action((flags) => {
    const spec = mobilenetV1({
      alpha: flags.alpha,
      resolution: flags.resolution,
      classes: flags.classes,
      batch: flags.batch,
      depthMultiplier: flags.depthMultiplier,
      convolutions: flags.standard ? 'standard' : 'separable',
    });
    modelOutput(spec, flags, io);
  });

  addRooflineOptions(
    addMobileNetOptions(
      root.command('mobilenet-v2').description('MobileNetV2 (Sandler et al. 2018) layer by layer: output shapes, params, mult-adds, totals'),
    ),
  ).action((flags) => {
    const spec = mobilenetV2({ alpha: flags.alpha, resolution: flags.resolution, classes: flags.classes, batch: flags.batch });
    modelOutput(spec, flags, io);
  });

  addRooflineOptions(
    root
      .command('conv')
      .description('one standard convolution against its depthwise separable replacement')
      .requiredOption('--in <HxWxC>', 'input height x width x channels, e.g. 14x14x512', parseImageShape)
      .requiredOption('--out <channels>', 'output channels', parsePositiveInteger)
      .option('--kernel <size>', 'kernel height and width', parsePositiveInteger, 3)
      .option('--stride <count>', 'stride', parsePositiveInteger, 1)
      .addOption(new Option('--padding <mode>', 'padding').choices(['same', 'valid']).default('same'))
      .option('--batch <count>', 'batch size (at least 1)', parsePositiveInteger, 1)
      .option('--bias', 'count a bias after the convolution'),
  ).action((flags) => {
    const [height, width, channels] = flags.in as [number, number, number];
    const layer = conv2dLayer({
      name: 'conv',
      inputShape: [flags.batch, height, width, channels],
      kernelSize: flags.kernel,
      outChannels: flags.out,
      strides: flags.stride,
      padding: flags.padding,
      useBias: flags.bias === true,
    });
    const comparison = compareSeparable(layer);
    const profile = profileFrom(flags);
    io.out(flags.json ? `${JSON.stringify({ layer, ...comparison }, null, 2)}\n` : convReport(layer, comparison, profile));
  });

  root
    .command('demo')
    .description('standard vs separable cost for MobileNet-like layers, and for the whole MobileNetV1')
    .option('--json', 'print JSON instead of a table')
    .action((flags) => {
      const result = demoResult();
      io.out(flags.json ? `${JSON.stringify(result, null, 2)}\n` : demoReport(result));
    });
  return root;
}

/**
 * Runs `sepconv-cost` with the given arguments (without `node` and the script) and returns
 * the exit code: 0 on success, 1 for bad usage or input — reported as one clear line on
 * `io.err`, never a stack trace.
 */
export async function runCli(args: readonly string[], io: CliOutput): Promise<number> {
  try {
    await program(io).parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    // commander has already printed its own message (unknown option, invalid argument, help).
    if (error instanceof CommanderError) return error.exitCode;
    // Bad input caught by sepconv (a resolution too small for the network, …) or by the CLI.
    io.err(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
