import { randomUniform, type Activation, type BinaryOp, type HostTensor } from '@sepconv/tensor';

/**
 * One case of the element-wise binary capabilities as plain data: the op, the shapes of `a`
 * and `b` (which broadcast), the activation and the seed their data is filled from.
 */
export interface BinaryCase {
  readonly name: string;
  readonly op: BinaryOp;
  readonly aShape: readonly number[];
  readonly bShape: readonly number[];
  readonly activation?: Activation | undefined;
  readonly seed: number;
}

/** The broadcasting forms the formats use, each for a `[batch, height, width, channels]` tensor `x`. */
const FORMS: readonly { form: string; shapes: (x: readonly number[]) => [readonly number[], readonly number[]] }[] = [
  { form: 'same shape', shapes: (x) => [x, x] },
  { form: 'scalar []', shapes: (x) => [x, []] },
  { form: 'scalar [1]', shapes: (x) => [[1], x] },
  { form: 'per-channel [C]', shapes: (x) => [x, [x[3]!]] },
  { form: 'per-channel [1, 1, 1, C]', shapes: (x) => [[1, 1, 1, x[3]!], x] },
  { form: "SE's [N, 1, 1, C]", shapes: (x) => [seInput(x), [2, 1, 1, x[3]!]] },
  { form: "SE's [N, 1, 1, C] first", shapes: (x) => [[2, 1, 1, x[3]!], seInput(x)] },
];

/** Squeeze-and-excitation's `[N, H, W, C]` with batch 2 and spatial size > 1, so a per-image scale matters. */
function seInput(x: readonly number[]): readonly number[] {
  return [2, Math.max(x[1]!, 3), Math.max(x[2]!, 2), x[3]!];
}

const OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div'];
const ACTIVATIONS: readonly (Activation | undefined)[] = [undefined, 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'hardSwish'];

// Channel counts equal to, below, above and a multiple of a 4-wide vector (1, 3, 4, 5, 8, 17,
// 64); odd spatial sizes; batch 2 so a kernel that broadcasts [N, 1, 1, C] over the wrong
// axis fails; 1×1 spatial. Every op meets every form, and the activations rotate through them.
const SHAPES: readonly (readonly number[])[] = [
  [2, 5, 7, 1],
  [1, 3, 5, 3],
  [2, 4, 4, 4],
  [1, 5, 3, 5],
  [2, 3, 3, 8],
  [2, 7, 5, 17],
  [1, 1, 1, 64],
];

/** The fixed binary cases every backend that declares the op must pass. */
export const binaryCases: readonly BinaryCase[] = OPS.flatMap((op, o): BinaryCase[] =>
  FORMS.map(({ form, shapes }, f) => {
    const x = SHAPES[(f + o) % SHAPES.length]!;
    const [aShape, bShape] = shapes(x);
    const activation = ACTIVATIONS[(f + o) % ACTIVATIONS.length];
    return {
      name: `${op} ${form} [${aShape.join(', ')}] ∘ [${bShape.join(', ')}]${activation ? ` ${activation}` : ''}`,
      op,
      aShape,
      bShape,
      activation,
      seed: 6000 + o * 100 + f,
    };
  }),
).concat([
  { name: 'add both broadcast [2, 1] ∘ [1, 3]', op: 'add', aShape: [2, 1], bShape: [1, 3], seed: 6900 },
  { name: 'mul ranks 1 and 3 [5] ∘ [3, 1, 5] hardSwish', op: 'mul', aShape: [5], bShape: [3, 1, 5], activation: 'hardSwish', seed: 6901 },
  { name: 'sub rank 2 [7, 13] relu6', op: 'sub', aShape: [7, 13], bShape: [7, 13], activation: 'relu6', seed: 6902 },
  { name: 'div a large residual [1, 28, 28, 32] by per-channel', op: 'div', aShape: [1, 28, 28, 32], bShape: [32], seed: 6903 },
]);

/**
 * A case's two host tensors: uniform in [-4, 4] (so every activation's regions are reached);
 * a divisor's magnitude is kept in [0.5, 4] so the quotient stays well conditioned.
 */
export function binaryCaseInputs(c: BinaryCase): { a: HostTensor; b: HostTensor } {
  const a = randomUniform(c.aShape, c.seed, -4, 4);
  const b = randomUniform(c.bShape, c.seed + 1, -4, 4);
  if (c.op === 'div') b.data.forEach((v, i) => (b.data[i] = Math.sign(v || 1) * Math.max(Math.abs(v), 0.5)));
  return { a, b };
}
