import { HostTensor, Random } from '@sepconv/tensor';
import { OnnxGraphWriter } from './onnx-graph-writer.js';

/**
 * Opset 17: what `torch.onnx.export` writes by default (torch 2.x), with `HardSwish` as one
 * operator and `Clip`'s bounds as inputs.
 */
const OPSET = 17;

/** The input and output names of the torchvision-layout models (as torchvision users name them). */
export const TORCHVISION_INPUT = 'input';
export const TORCHVISION_OUTPUT = 'logits';

/** Which torchvision network: `mobilenet_v2`, `mobilenet_v3_large`, `mobilenet_v3_small`. */
export type TorchvisionModel = 'mobilenet-v2' | 'mobilenet-v3-large' | 'mobilenet-v3-small';

export interface TorchvisionOptions {
  readonly model: TorchvisionModel;
  /** Width multiplier (torchvision's `width_mult`). */
  readonly alpha: number;
  readonly resolution: number;
  readonly batch: number;
  readonly classes?: number;
  readonly seed?: number;
}

/** torchvision's `_make_divisible`. */
function makeDivisible(value: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor(value + divisor / 2) - (Math.floor(value + divisor / 2) % divisor));
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

type Activation = 'relu' | 'relu6' | 'hardswish' | 'none';

/** torchvision's modules as the ONNX nodes `torch.onnx.export` writes for them (batch norm left unfolded). */
class TorchModules {
  private readonly random: Random;
  private count = 0;
  constructor(
    readonly w: OnnxGraphWriter,
    seed: number,
  ) {
    this.random = new Random(seed);
  }

  private weight(name: string, dims: readonly number[], low: number, high: number): string {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = this.random.uniform(low, high);
    return this.w.initializer(name, new HostTensor(data, dims));
  }

  /** `nn.Conv2d` (PyTorch's default initialisation bound, `padding = (k − 1) / 2`). */
  conv(x: string, inChannels: number, outChannels: number, kernel: number, stride = 1, groups = 1, bias = false): string {
    const name = `features.${this.count++}`;
    const bound = Math.sqrt(3 / ((inChannels / groups) * kernel * kernel));
    const inputs = [x, this.weight(`${name}.weight`, [outChannels, inChannels / groups, kernel, kernel], -bound, bound)];
    if (bias) inputs.push(this.weight(`${name}.bias`, [outChannels], -0.1, 0.1));
    const pad = (kernel - 1) >> 1;
    return this.w.node('Conv', inputs, {
      dilations: [1, 1],
      group: groups,
      kernel_shape: [kernel, kernel],
      pads: [pad, pad, pad, pad],
      strides: [stride, stride],
    });
  }

  /** `nn.BatchNorm2d` with its running statistics (export in training-mode PRESERVE keeps it a node). */
  batchNorm(x: string, channels: number, epsilon: number): string {
    const name = `bn.${this.count++}`;
    const scale = this.weight(`${name}.weight`, [channels], 0.5, 1.5);
    const bias = this.weight(`${name}.bias`, [channels], -0.2, 0.2);
    const mean = this.weight(`${name}.running_mean`, [channels], -0.2, 0.2);
    const variance = this.weight(`${name}.running_var`, [channels], 0.5, 1.5);
    return this.w.node('BatchNormalization', [x, scale, bias, mean, variance], { epsilon: { float: epsilon } });
  }

  activation(x: string, activation: Activation): string {
    if (activation === 'none') return x;
    if (activation === 'relu') return this.w.node('Relu', [x]);
    if (activation === 'hardswish') return this.w.node('HardSwish', [x]);
    return this.w.node('Clip', [x, this.w.constant('clip_min', [0]), this.w.constant('clip_max', [6])]);
  }

  /** torchvision's `Conv2dNormActivation`. */
  convBnAct(x: string, cin: number, cout: number, kernel: number, stride: number, groups: number, activation: Activation, epsilon: number): string {
    return this.activation(this.batchNorm(this.conv(x, cin, cout, kernel, stride, groups), cout, epsilon), activation);
  }

  /** `SqueezeExcitation`: GlobalAveragePool → Conv → Relu → Conv → HardSigmoid → Mul. */
  squeezeExcite(x: string, channels: number): string {
    const squeeze = makeDivisible(channels / 4);
    let s = this.w.node('GlobalAveragePool', [x]);
    s = this.w.node('Relu', [this.conv(s, channels, squeeze, 1, 1, 1, true)]);
    s = this.w.node('HardSigmoid', [this.conv(s, squeeze, channels, 1, 1, 1, true)], { alpha: { float: 1 / 6 }, beta: { float: 0.5 } });
    return this.w.node('Mul', [s, x]);
  }

  /** `avgpool` + `torch.flatten(x, 1)`. */
  pooledFeatures(x: string): string {
    return this.w.node('Flatten', [this.w.node('GlobalAveragePool', [x])], { axis: 1 });
  }

  /** `nn.Linear` (Gemm with transB, as exported). */
  linear(x: string, inFeatures: number, outFeatures: number, output?: string): string {
    const name = `classifier.${this.count++}`;
    const bound = Math.sqrt(1 / inFeatures);
    const weight = this.weight(`${name}.weight`, [outFeatures, inFeatures], -bound, bound);
    const bias = this.weight(`${name}.bias`, [outFeatures], -bound, bound);
    return this.w.node('Gemm', [x, weight, bias], { alpha: { float: 1 }, beta: { float: 1 }, transB: 1 }, output);
  }
}

/** `mobilenet_v2`'s inverted residual settings: expansion, channels, repeats, first stride. */
const V2_SETTINGS = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
] as const;

function mobilenetV2Body(t: TorchModules, x: string, alpha: number): { y: string; channels: number } {
  let channels = makeDivisible(32 * alpha);
  let y = t.convBnAct(x, 3, channels, 3, 2, 1, 'relu6', 1e-5);
  for (const [expand, c, n, s] of V2_SETTINGS) {
    const out = makeDivisible(c * alpha);
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const hidden = Math.round(channels * expand);
      let h = expand === 1 ? y : t.convBnAct(y, channels, hidden, 1, 1, 1, 'relu6', 1e-5);
      h = t.convBnAct(h, hidden, hidden, 3, stride, hidden, 'relu6', 1e-5);
      h = t.convBnAct(h, hidden, out, 1, 1, 1, 'none', 1e-5);
      y = stride === 1 && channels === out ? t.w.node('Add', [y, h]) : h;
      channels = out;
    }
  }
  const last = makeDivisible(1280 * Math.max(1, alpha));
  return { y: t.convBnAct(y, channels, last, 1, 1, 1, 'relu6', 1e-5), channels: last };
}

/** torchvision's V3 block configs: input, kernel, expanded, output, SE, activation, stride. */
type V3Block = readonly [number, number, number, number, boolean, 'RE' | 'HS', number];

const V3_LARGE: readonly V3Block[] = [
  [16, 3, 16, 16, false, 'RE', 1],
  [16, 3, 64, 24, false, 'RE', 2],
  [24, 3, 72, 24, false, 'RE', 1],
  [24, 5, 72, 40, true, 'RE', 2],
  [40, 5, 120, 40, true, 'RE', 1],
  [40, 5, 120, 40, true, 'RE', 1],
  [40, 3, 240, 80, false, 'HS', 2],
  [80, 3, 200, 80, false, 'HS', 1],
  [80, 3, 184, 80, false, 'HS', 1],
  [80, 3, 184, 80, false, 'HS', 1],
  [80, 3, 480, 112, true, 'HS', 1],
  [112, 3, 672, 112, true, 'HS', 1],
  [112, 5, 672, 160, true, 'HS', 2],
  [160, 5, 960, 160, true, 'HS', 1],
  [160, 5, 960, 160, true, 'HS', 1],
];

const V3_SMALL: readonly V3Block[] = [
  [16, 3, 16, 16, true, 'RE', 2],
  [16, 3, 72, 24, false, 'RE', 2],
  [24, 3, 88, 24, false, 'RE', 1],
  [24, 5, 96, 40, true, 'HS', 2],
  [40, 5, 240, 40, true, 'HS', 1],
  [40, 5, 240, 40, true, 'HS', 1],
  [40, 5, 120, 48, true, 'HS', 1],
  [48, 5, 144, 48, true, 'HS', 1],
  [48, 5, 288, 96, true, 'HS', 2],
  [96, 5, 576, 96, true, 'HS', 1],
  [96, 5, 576, 96, true, 'HS', 1],
];

/** torchvision's V3 batch-norm epsilon. */
const V3_EPSILON = 0.001;

function mobilenetV3Body(t: TorchModules, x: string, alpha: number, blocks: readonly V3Block[]): { y: string; channels: number } {
  const adjust = (c: number) => makeDivisible(c * alpha);
  let channels = adjust(16);
  let y = t.convBnAct(x, 3, channels, 3, 2, 1, 'hardswish', V3_EPSILON);
  for (const [, kernel, expanded, out, se, act, stride] of blocks) {
    const [hidden, outChannels] = [adjust(expanded), adjust(out)];
    const activation = act === 'HS' ? 'hardswish' : 'relu';
    let h = hidden === channels ? y : t.convBnAct(y, channels, hidden, 1, 1, 1, activation, V3_EPSILON);
    h = t.convBnAct(h, hidden, hidden, kernel, stride, hidden, activation, V3_EPSILON);
    if (se) h = t.squeezeExcite(h, hidden);
    h = t.convBnAct(h, hidden, outChannels, 1, 1, 1, 'none', V3_EPSILON);
    y = stride === 1 && channels === outChannels ? t.w.node('Add', [h, y]) : h;
    channels = outChannels;
  }
  return { y: t.convBnAct(y, channels, 6 * channels, 1, 1, 1, 'hardswish', V3_EPSILON), channels: 6 * channels };
}

/**
 * A torchvision MobileNet written as `torch.onnx.export` writes it (opset 17, NCHW input
 * `[batch, 3, resolution, resolution]`, output `logits` `[batch, classes]`), with seeded random
 * weights: every convolution without bias followed by an unfolded `BatchNormalization`, ReLU6
 * as `Clip(0, 6)`, `HardSwish`, squeeze-and-excitation as `GlobalAveragePool → Conv → Relu →
 * Conv → HardSigmoid → Mul`, the classifier as `Flatten → Gemm` (V3: `Gemm → HardSwish →
 * Gemm`; dropout is gone in an eval-mode export). The bytes every engine of the "same .onnx
 * file" cases loads.
 */
export function torchvisionMobileNetOnnx(options: TorchvisionOptions): Uint8Array {
  const w = new OnnxGraphWriter(OPSET);
  const t = new TorchModules(w, options.seed ?? 1);
  const classes = options.classes ?? 1000;
  const body =
    options.model === 'mobilenet-v2'
      ? mobilenetV2Body(t, TORCHVISION_INPUT, options.alpha)
      : mobilenetV3Body(t, TORCHVISION_INPUT, options.alpha, options.model === 'mobilenet-v3-large' ? V3_LARGE : V3_SMALL);
  let y = t.pooledFeatures(body.y);
  if (options.model === 'mobilenet-v2') {
    t.linear(y, body.channels, classes, TORCHVISION_OUTPUT);
  } else {
    const lastChannel = makeDivisible((options.model === 'mobilenet-v3-large' ? 1280 : 1024) * options.alpha);
    y = w.node('HardSwish', [t.linear(y, body.channels, lastChannel)]);
    t.linear(y, lastChannel, classes, TORCHVISION_OUTPUT);
  }
  const torchName = { 'mobilenet-v2': 'mobilenet_v2', 'mobilenet-v3-large': 'mobilenet_v3_large', 'mobilenet-v3-small': 'mobilenet_v3_small' }[
    options.model
  ];
  return w.encode(
    torchName,
    [{ name: TORCHVISION_INPUT, dims: [options.batch, 3, options.resolution, options.resolution] }],
    [{ name: TORCHVISION_OUTPUT, dims: [options.batch, classes] }],
  );
}
