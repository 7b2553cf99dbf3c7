// MobileNets written as ONNX in torchvision's layout (Conv without bias → BatchNormalization →
// activation, as torch.onnx.export writes a model in training=TrainingMode.PRESERVE, i.e.
// with batch norm left unfolded), with seeded random weights: V2 (Clip 0–6), V3 Small/Large
// (hard-swish, squeeze-excitation), and a V1 with explicit Pad nodes before its strided
// depthwise convolutions (as Keras's ZeroPadding2D). Activation forms follow the opset:
// Clip's bounds as attributes before 11 and as inputs from 11; HardSwish from opset 14, and
// before it x · HardSigmoid(x), as PyTorch exports it.
import { OnnxWriter, type Dims } from './onnx-writer.js';

/** torchvision's `_make_divisible`. */
export function makeDivisible(value: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor(value + divisor / 2) - (Math.floor(value + divisor / 2) % divisor));
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

export interface OnnxMobileNetOptions {
  opset: number;
  alpha?: number;
  resolution?: number;
  classes?: number;
  seed?: number;
  /** The input's dims; default `['batch', 3, resolution, resolution]` (a symbolic batch). */
  inputDims?: Dims;
  /** How hard-sigmoid and hard-swish are written (see {@link HardActivationSpelling}); default `'torchvision'`. */
  hardActivations?: HardActivationSpelling;
  /**
   * The squeeze of V3's squeeze-and-excitation: torchvision's `AdaptiveAvgPool2d(1)` as
   * `GlobalAveragePool` (default), or timm's `x.mean((2, 3), keepdim=True)` as `ReduceMean`.
   */
  squeeze?: 'GlobalAveragePool' | 'ReduceMean';
  /** ReLU6 as `Clip(x, 0, 6)` (default), or `Min(Relu(x), 6)` as torch.onnx's dynamo exporter writes `F.relu6`. */
  relu6?: 'Clip' | 'MinRelu';
}

/**
 * `'torchvision'`: what `torch.onnx.export` writes for `nn.Hardsigmoid` / `nn.Hardswish`
 * (`HardSigmoid`; `HardSwish` from opset 14, `Mul(x, HardSigmoid(x))` before). `'relu6'`: the
 * `h_sigmoid` / `h_swish` modules of PyTorch MobileNetV3 ports, `F.relu6(x + 3) / 6` and
 * `x * F.relu6(x + 3) / 6` — `Add`, `Clip`, `Div` and `Mul` nodes, the divide last.
 */
export type HardActivationSpelling = 'torchvision' | 'relu6';

/** The layers torchvision's modules export to, on an {@link OnnxWriter}. */
export class TorchLayers {
  private clipBounds: [string, string] | undefined;
  private count = 0;
  constructor(
    readonly w: OnnxWriter,
    readonly hardActivations: HardActivationSpelling = 'torchvision',
    readonly relu6Spelling: 'Clip' | 'MinRelu' = 'Clip',
  ) {}

  /** A fresh module name (torchvision's are `features.3.conv.0.0`; any unique name does). */
  id(prefix: string): string {
    return `${prefix}${this.count++}`;
  }

  conv(x: string, inChannels: number, outChannels: number, kernel: number, stride = 1, groups = 1, bias = false): string {
    const fanIn = (inChannels / groups) * kernel * kernel;
    const bound = Math.sqrt(3 / fanIn);
    const name = this.id('conv');
    const weight = this.w.random(`${name}.weight`, [outChannels, inChannels / groups, kernel, kernel], -bound, bound);
    const inputs = bias ? [x, weight, this.w.random(`${name}.bias`, [outChannels], -0.1, 0.1)] : [x, weight];
    const pad = (kernel - 1) >> 1;
    return this.w.node('Conv', inputs, {
      dilations: [1, 1],
      group: groups,
      kernel_shape: [kernel, kernel],
      pads: [pad, pad, pad, pad],
      strides: [stride, stride],
    });
  }

  bn(x: string, channels: number, epsilon = 1e-5): string {
    const name = this.id('bn');
    const inputs = [
      this.w.random(`${name}.weight`, [channels], 0.5, 1.5),
      this.w.random(`${name}.bias`, [channels], -0.2, 0.2),
      this.w.random(`${name}.running_mean`, [channels], -0.2, 0.2),
      this.w.random(`${name}.running_var`, [channels], 0.5, 1.5),
    ];
    return this.w.node('BatchNormalization', [x, ...inputs], {
      epsilon: { float: epsilon },
      ...(this.w.opset < 14 ? { momentum: { float: 0.9 } } : {}),
    });
  }

  relu(x: string): string {
    return this.w.node('Relu', [x]);
  }

  relu6(x: string): string {
    if (this.relu6Spelling === 'MinRelu') return this.w.node('Min', [this.relu(x), this.w.floats(this.id('six'), [], [6])]);
    if (this.w.opset < 11) return this.w.node('Clip', [x], { min: { float: 0 }, max: { float: 6 } });
    // PyTorch writes the bounds as Constant nodes at some opsets and as initializers at others.
    this.clipBounds ??=
      this.w.opset >= 13
        ? [this.w.node('Constant', [], { value: { tensor: { dims: [], values: [0] } } }), this.w.node('Constant', [], { value_float: { float: 6 } })]
        : [this.w.floats('clip_min', [], [0]), this.w.floats('clip_max', [], [6])];
    return this.w.node('Clip', [x, ...this.clipBounds]);
  }

  hardsigmoid(x: string): string {
    if (this.hardActivations === 'relu6') return this.w.node('Div', [this.shiftedRelu6(x), this.w.floats(this.id('six'), [], [6])]);
    return this.w.node('HardSigmoid', [x], { alpha: { float: 1 / 6 }, beta: { float: 0.5 } });
  }

  hardswish(x: string): string {
    if (this.hardActivations === 'relu6') {
      return this.w.node('Div', [this.w.node('Mul', [x, this.shiftedRelu6(x)]), this.w.floats(this.id('six'), [], [6])]);
    }
    return this.w.opset >= 14 ? this.w.node('HardSwish', [x]) : this.w.node('Mul', [x, this.hardsigmoid(x)]);
  }

  /** `x.mean((2, 3), keepdim=True)`: `ReduceMean`, its axes an attribute before opset 18 and an input from 18. */
  spatialMean(x: string): string {
    if (this.w.opset < 18) return this.w.node('ReduceMean', [x], { axes: [2, 3], keepdims: 1 });
    return this.w.node('ReduceMean', [x, this.w.ints(this.id('axes'), [2, 3])], { keepdims: 1 });
  }

  /** `F.relu6(x + 3)`. */
  private shiftedRelu6(x: string): string {
    return this.relu6(this.w.node('Add', [x, this.w.floats(this.id('three'), [], [3])]));
  }

  convBnAct(
    x: string,
    cin: number,
    cout: number,
    kernel: number,
    stride: number,
    groups: number,
    act: 'relu' | 'relu6' | 'hardswish' | 'none',
    epsilon = 1e-5,
  ): string {
    const y = this.bn(this.conv(x, cin, cout, kernel, stride, groups), cout, epsilon);
    return act === 'none' ? y : this[act](y);
  }

  classifierInput(x: string): string {
    const pooled = this.w.node('GlobalAveragePool', [x]);
    return this.w.node('Flatten', [pooled], { axis: 1 });
  }

  linear(x: string, inFeatures: number, outFeatures: number, name = this.id('fc'), output?: string): string {
    const bound = Math.sqrt(1 / inFeatures);
    const weight = this.w.random(`${name}.weight`, [outFeatures, inFeatures], -bound, bound);
    const bias = this.w.random(`${name}.bias`, [outFeatures], -bound, bound);
    return this.w.node('Gemm', [x, weight, bias], { alpha: { float: 1 }, beta: { float: 1 }, transB: 1 }, output ? { outputs: [output] } : {});
  }
}

function writer(options: OnnxMobileNetOptions): { w: OnnxWriter; t: TorchLayers; x: string; resolution: number } {
  const resolution = options.resolution ?? 96;
  const w = new OnnxWriter(options.opset, options.seed ?? 1);
  const x = w.input('input', options.inputDims ?? ['batch', 3, resolution, resolution]);
  return { w, t: new TorchLayers(w, options.hardActivations, options.relu6), x, resolution };
}

/** torchvision's `mobilenet_v2` (BN unfolded, ReLU6 as Clip), ending in `Gemm` → output `logits`. */
export function onnxMobileNetV2(options: OnnxMobileNetOptions): Uint8Array {
  const { w, t, x } = writer(options);
  const alpha = options.alpha ?? 0.35;
  const settings = [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
  ] as const;
  let channels = makeDivisible(32 * alpha);
  let y = t.convBnAct(x, 3, channels, 3, 2, 1, 'relu6');
  for (const [expand, c, n, s] of settings) {
    const out = makeDivisible(c * alpha);
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const hidden = Math.round(channels * expand);
      let h = expand === 1 ? y : t.convBnAct(y, channels, hidden, 1, 1, 1, 'relu6');
      h = t.convBnAct(h, hidden, hidden, 3, stride, hidden, 'relu6');
      h = t.convBnAct(h, hidden, out, 1, 1, 1, 'none');
      y = stride === 1 && channels === out ? w.node('Add', [y, h]) : h;
      channels = out;
    }
  }
  const last = makeDivisible(1280 * Math.max(1, alpha));
  y = t.convBnAct(y, channels, last, 1, 1, 1, 'relu6');
  y = t.classifierInput(y);
  y = w.node('Dropout', [y], w.opset < 12 ? { ratio: { float: 0.2 } } : {});
  t.linear(y, last, options.classes ?? 10, 'classifier.1', 'logits');
  return w.bytes({ logits: ['batch', options.classes ?? 10] }, 'mobilenet_v2');
}

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

/**
 * torchvision's `mobilenet_v3_large` / `_small` (batch-norm epsilon 0.001; SE as
 * GlobalAveragePool → Conv → Relu → Conv → HardSigmoid → Mul), ending in `logits`.
 */
export function onnxMobileNetV3(variant: 'large' | 'small', options: OnnxMobileNetOptions): Uint8Array {
  const { w, t, x } = writer(options);
  const alpha = options.alpha ?? 0.35;
  const eps = 0.001;
  const adjust = (c: number) => makeDivisible(c * alpha);
  let channels = adjust(16);
  let y = t.convBnAct(x, 3, channels, 3, 2, 1, 'hardswish', eps);
  for (const [, kernel, expanded, out, se, act, stride] of variant === 'large' ? V3_LARGE : V3_SMALL) {
    const [hidden, outChannels] = [adjust(expanded), adjust(out)];
    const activation = act === 'HS' ? 'hardswish' : 'relu';
    let h = hidden === channels ? y : t.convBnAct(y, channels, hidden, 1, 1, 1, activation, eps);
    h = t.convBnAct(h, hidden, hidden, kernel, stride, hidden, activation, eps);
    if (se) {
      const squeeze = makeDivisible(hidden / 4);
      let s = options.squeeze === 'ReduceMean' ? t.spatialMean(h) : w.node('GlobalAveragePool', [h]);
      s = t.relu(t.conv(s, hidden, squeeze, 1, 1, 1, true));
      s = t.hardsigmoid(t.conv(s, squeeze, hidden, 1, 1, 1, true));
      h = w.node('Mul', [s, h]);
    }
    h = t.convBnAct(h, hidden, outChannels, 1, 1, 1, 'none', eps);
    y = stride === 1 && channels === outChannels ? w.node('Add', [h, y]) : h;
    channels = outChannels;
  }
  const lastConv = 6 * channels;
  y = t.convBnAct(y, channels, lastConv, 1, 1, 1, 'hardswish', eps);
  y = t.classifierInput(y);
  const lastChannel = makeDivisible((variant === 'large' ? 1280 : 1024) * alpha);
  y = t.hardswish(t.linear(y, lastConv, lastChannel, 'classifier.0'));
  t.linear(y, lastChannel, options.classes ?? 10, 'classifier.3', 'logits');
  return w.bytes({ logits: ['batch', options.classes ?? 10] }, `mobilenet_v3_${variant}`);
}

/**
 * MobileNetV1 with Keras's padding: every strided depthwise convolution reads an explicit
 * `Pad` (0 top/left, 1 bottom/right) and pads nothing itself; ends in Softmax → `probabilities`.
 */
export function onnxMobileNetV1(options: OnnxMobileNetOptions): Uint8Array {
  const { w, t, x } = writer(options);
  const alpha = options.alpha ?? 0.25;
  const blocks = [
    [64, 1],
    [128, 2],
    [128, 1],
    [256, 2],
    [256, 1],
    [512, 2],
    [512, 1],
    [1024, 2],
    [1024, 1],
  ] as const;
  let channels = Math.round(32 * alpha);
  let y = t.convBnAct(x, 3, channels, 3, 2, 1, 'relu6');
  const pads = [0, 0, 0, 0, 0, 0, 1, 1];
  for (const [c, stride] of blocks) {
    if (stride === 2) {
      const padded =
        w.opset < 11 ? w.node('Pad', [y], { mode: 'constant', pads }) : w.node('Pad', [y, w.ints(`pads_${y}`, pads)], { mode: 'constant' });
      const bound = Math.sqrt(3 / 9);
      const weight = w.random(`dw_${y}.weight`, [channels, 1, 3, 3], -bound, bound);
      y = t.relu6(t.bn(w.node('Conv', [padded, weight], { group: channels, kernel_shape: [3, 3], pads: [0, 0, 0, 0], strides: [2, 2] }), channels));
    } else {
      y = t.convBnAct(y, channels, channels, 3, 1, channels, 'relu6');
    }
    const out = Math.round(c * alpha);
    y = t.convBnAct(y, channels, out, 1, 1, 1, 'relu6');
    channels = out;
  }
  y = t.classifierInput(y);
  const logits = t.linear(y, channels, options.classes ?? 10, 'classifier');
  w.node('Softmax', [logits], { axis: 1 }, { outputs: ['probabilities'] });
  return w.bytes({ probabilities: ['batch', options.classes ?? 10] }, 'mobilenet_v1');
}
