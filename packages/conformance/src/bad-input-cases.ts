import { DTypeError, HostTensor, ShapeError, tensor, ValueError, zeros, type Backend, type SepconvError, type Tensor } from '@sepconv/tensor';

/** A call that must be rejected, the error class it must throw and what its message must name. */
export interface BadInputCase {
  readonly name: string;
  readonly call: (backend: Backend) => unknown;
  readonly error: new (...args: never[]) => SepconvError;
  /** The op and argument the message must name, e.g. `['depthwiseConv2d', 'options.strides']`. */
  readonly names: readonly [op: string, argument: string];
}

const x = () => zeros([1, 5, 5, 4]);
const dw = (c = 4, m = 1, k = 3) => zeros([k, k, c, m]);
const pw = (cin = 4, cout = 8) => zeros([cin, cout]);
const conv = (cin = 4, cout = 8, k = 3) => zeros([k, k, cin, cout]);

/** A tensor-shaped object that bypasses `tensor()`'s checks, as a buggy caller might build. */
function fakeTensor(shape: number[], dtype = 'float32'): Tensor {
  return { shape, dtype, size: 0, location: 'host', isDisposed: false, dispose() {} } as Tensor;
}

function disposed(): HostTensor {
  const t = x();
  t.dispose();
  return t;
}

/** Every kind of bad input the contract names, across the four ops. */
export const badInputCases: readonly BadInputCase[] = [
  // Ranks.
  { name: 'x of rank 3', call: (b) => b.depthwiseConv2d(zeros([5, 5, 4]), dw()), error: ShapeError, names: ['depthwiseConv2d', 'x'] },
  { name: 'x of rank 5', call: (b) => b.conv2d(zeros([1, 1, 5, 5, 4]), conv()), error: ShapeError, names: ['conv2d', 'x'] },
  {
    name: 'depthwise filter of rank 3',
    call: (b) => b.depthwiseConv2d(x(), zeros([3, 3, 4])),
    error: ShapeError,
    names: ['depthwiseConv2d', 'filter'],
  },
  { name: 'conv2d filter of rank 2', call: (b) => b.conv2d(x(), zeros([4, 8])), error: ShapeError, names: ['conv2d', 'filter'] },
  {
    name: 'pointwise filter of rank 3',
    call: (b) => b.pointwiseConv2d(x(), zeros([1, 4, 8])),
    error: ShapeError,
    names: ['pointwiseConv2d', 'filter'],
  },
  {
    name: 'pointwise filter [3, 3, Cin, Cout]',
    call: (b) => b.pointwiseConv2d(x(), conv()),
    error: ShapeError,
    names: ['pointwiseConv2d', 'filter'],
  },
  // Channel mismatches.
  {
    name: 'depthwise filter channels 16 for x channels 4',
    call: (b) => b.depthwiseConv2d(x(), dw(16)),
    error: ShapeError,
    names: ['depthwiseConv2d', 'filter'],
  },
  { name: 'conv2d filter inChannels 3 for x channels 4', call: (b) => b.conv2d(x(), conv(3)), error: ShapeError, names: ['conv2d', 'filter'] },
  {
    name: 'pointwise filter inChannels 5 for x channels 4',
    call: (b) => b.pointwiseConv2d(x(), pw(5)),
    error: ShapeError,
    names: ['pointwiseConv2d', 'filter'],
  },
  {
    name: 'separable depthwise filter channels mismatch',
    call: (b) => b.separableConv2d(x(), dw(3), pw(3)),
    error: ShapeError,
    names: ['separableConv2d', 'depthwiseFilter'],
  },
  {
    name: 'separable pointwise filter inChannels != C*M',
    call: (b) => b.separableConv2d(x(), dw(4, 2), pw(4)),
    error: ShapeError,
    names: ['separableConv2d', 'pointwiseFilter'],
  },
  // Bias length.
  {
    name: 'conv2d bias of the wrong length',
    call: (b) => b.conv2d(x(), conv(), { bias: zeros([7]) }),
    error: ShapeError,
    names: ['conv2d', 'options.bias'],
  },
  {
    name: 'depthwise bias of length C for multiplier 2',
    call: (b) => b.depthwiseConv2d(x(), dw(4, 2), { bias: zeros([4]) }),
    error: ShapeError,
    names: ['depthwiseConv2d', 'options.bias'],
  },
  {
    name: 'pointwise bias of rank 2',
    call: (b) => b.pointwiseConv2d(x(), pw(), { bias: zeros([1, 8]) }),
    error: ShapeError,
    names: ['pointwiseConv2d', 'options.bias'],
  },
  {
    name: 'separable depthwiseBias of the wrong length',
    call: (b) => b.separableConv2d(x(), dw(), pw(), { depthwiseBias: zeros([8]) }),
    error: ShapeError,
    names: ['separableConv2d', 'options.depthwiseBias'],
  },
  {
    name: 'separable bias of the wrong length',
    call: (b) => b.separableConv2d(x(), dw(), pw(), { bias: zeros([4]) }),
    error: ShapeError,
    names: ['separableConv2d', 'options.bias'],
  },
  // Strides and dilations.
  { name: 'stride 0', call: (b) => b.depthwiseConv2d(x(), dw(), { strides: 0 }), error: ValueError, names: ['depthwiseConv2d', 'options.strides'] },
  { name: 'negative stride', call: (b) => b.conv2d(x(), conv(), { strides: [1, -2] }), error: ValueError, names: ['conv2d', 'options.strides'] },
  {
    name: 'fractional stride',
    call: (b) => b.pointwiseConv2d(x(), pw(), { strides: 1.5 }),
    error: ValueError,
    names: ['pointwiseConv2d', 'options.strides'],
  },
  {
    name: 'strides of length 3',
    call: (b) => b.depthwiseConv2d(x(), dw(), { strides: [1, 1, 1] as unknown as [number, number] }),
    error: ValueError,
    names: ['depthwiseConv2d', 'options.strides'],
  },
  {
    name: 'dilation 0',
    call: (b) => b.depthwiseConv2d(x(), dw(), { dilations: 0 }),
    error: ValueError,
    names: ['depthwiseConv2d', 'options.dilations'],
  },
  {
    name: 'negative dilation in separable',
    call: (b) => b.separableConv2d(x(), dw(), pw(), { dilations: -1 }),
    error: ValueError,
    names: ['separableConv2d', 'options.dilations'],
  },
  // Padding.
  {
    name: 'negative explicit padding',
    call: (b) => b.depthwiseConv2d(x(), dw(), { padding: { top: -1, bottom: 0, left: 0, right: 0 } }),
    error: ValueError,
    names: ['depthwiseConv2d', 'options.padding'],
  },
  {
    name: 'fractional explicit padding',
    call: (b) => b.conv2d(x(), conv(), { padding: { top: 0.5, bottom: 0, left: 0, right: 0 } }),
    error: ValueError,
    names: ['conv2d', 'options.padding'],
  },
  {
    name: "unknown padding 'full'",
    call: (b) => b.depthwiseConv2d(x(), dw(), { padding: 'full' as 'same' }),
    error: ValueError,
    names: ['depthwiseConv2d', 'options.padding'],
  },
  // Kernel larger than the padded input.
  { name: '7x7 kernel on 5x5 valid', call: (b) => b.depthwiseConv2d(x(), dw(4, 1, 7)), error: ShapeError, names: ['depthwiseConv2d', 'filter'] },
  { name: '3x3 dilation 3 on 5x5 valid', call: (b) => b.conv2d(x(), conv(), { dilations: 3 }), error: ShapeError, names: ['conv2d', 'filter'] },
  {
    name: 'separable 7x7 on 5x5 with padding 1',
    call: (b) => b.separableConv2d(x(), dw(4, 1, 7), pw(), { padding: { top: 0, bottom: 1, left: 1, right: 0 } }),
    error: ShapeError,
    names: ['separableConv2d', 'depthwiseFilter'],
  },
  // Non-integer and negative dimensions, data length, element counts.
  { name: 'tensor with a fractional dimension', call: () => tensor(new Float32Array(5), [2.5, 2]), error: ShapeError, names: ['tensor', 'shape'] },
  { name: 'tensor with a negative dimension', call: () => tensor(new Float32Array(0), [-1, 2]), error: ShapeError, names: ['tensor', 'shape'] },
  { name: 'tensor data length not matching its shape', call: () => tensor([1, 2, 3], [2, 2]), error: ShapeError, names: ['tensor', 'data'] },
  { name: 'tensor past 2^31 elements', call: () => tensor(new Float32Array(0), [65536, 32768]), error: ShapeError, names: ['tensor', 'shape'] },
  {
    name: 'x with a fractional height (bypassing tensor())',
    call: (b) => b.depthwiseConv2d(fakeTensor([1, 2.5, 5, 4]), dw()),
    error: ShapeError,
    names: ['depthwiseConv2d', 'x'],
  },
  {
    name: 'x with a negative width (bypassing tensor())',
    call: (b) => b.conv2d(fakeTensor([1, 5, -5, 4]), conv()),
    error: ShapeError,
    names: ['conv2d', 'x'],
  },
  {
    name: 'output past 2^31 elements',
    call: (b) => b.depthwiseConv2d(zeros([1, 1024, 1024, 1]), zeros([1, 1, 1, 4096])),
    error: ShapeError,
    names: ['depthwiseConv2d', 'x'],
  },
  // Options and tensors that are not what they claim.
  {
    name: "unknown activation 'gelu'",
    call: (b) => b.pointwiseConv2d(x(), pw(), { activation: 'gelu' as 'relu' }),
    error: ValueError,
    names: ['pointwiseConv2d', 'options.activation'],
  },
  {
    name: "unknown depthwiseActivation 'swish'",
    call: (b) => b.separableConv2d(x(), dw(), pw(), { depthwiseActivation: 'swish' as 'relu' }),
    error: ValueError,
    names: ['separableConv2d', 'options.depthwiseActivation'],
  },
  {
    name: 'x that is not a tensor',
    call: (b) => b.depthwiseConv2d([1, 2, 3] as unknown as Tensor, dw()),
    error: ValueError,
    names: ['depthwiseConv2d', 'x'],
  },
  {
    name: 'filter of dtype int32',
    call: (b) => b.depthwiseConv2d(x(), fakeTensor([3, 3, 4, 1], 'int32')),
    error: DTypeError,
    names: ['depthwiseConv2d', 'filter'],
  },
  {
    name: 'tensor() of an Int32Array',
    call: () => tensor(new Int32Array(4) as unknown as Float32Array, [4]),
    error: DTypeError,
    names: ['tensor', 'data'],
  },
  { name: 'a disposed x', call: (b) => b.depthwiseConv2d(disposed(), dw()), error: ValueError, names: ['depthwiseConv2d', 'x'] },
];
