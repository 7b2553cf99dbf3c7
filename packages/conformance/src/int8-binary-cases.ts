import type { Backend, ConvActivation, QuantParams } from '@sepconv/tensor';
import { it } from 'vitest';
import { capabilityOf } from './describe-capability.js';
import { expectInt8MatchesReference } from './expect-int8.js';
import { ZERO_POINTS } from './int8-conv-cases.js';
import { randomInt8Tensor } from './random-int8-tensor.js';

/** Quantization of `scale` with the `i`-th of the zero points the int8 cases cycle through. */
export const int8CaseParams = (i: number, scale = 0.05): QuantParams => ({ scale, zeroPoint: ZERO_POINTS[i % ZERO_POINTS.length]! });

const CLAMPS: readonly ConvActivation[] = ['linear', 'relu', 'relu6'];

/** The cases of an int8 binary op: every shape pair crossed with every scale triple. */
export interface Int8BinaryCases {
  readonly op: 'quantizedAdd' | 'quantizedMul';
  /** The operator between the shapes in the test names. */
  readonly symbol: string;
  readonly shapes: readonly (readonly [readonly number[], readonly number[]])[];
  /** `[a, b, output]` scales. */
  readonly scales: readonly (readonly [number, number, number])[];
  /** The first case's seed for `a`; `b`'s seeds are 500 above. */
  readonly seed: number;
}

/**
 * One test per shape pair and scale triple, bit-exact with the reference: random int8 operands,
 * the zero points and the clamp (linear, relu, relu6) cycling with the case's indices.
 */
export function int8BinaryCaseTests(getBackend: () => Backend, cases: Int8BinaryCases): void {
  const { op, symbol, seed } = cases;
  cases.shapes.forEach(([aShape, bShape], i) => {
    cases.scales.forEach(([aScale, bScale, outScale], s) => {
      const a = randomInt8Tensor(aShape, seed + i * 10 + s, int8CaseParams(i + s, aScale));
      const b = randomInt8Tensor(bShape, seed + 500 + i * 10 + s, int8CaseParams(i + 2 * s + 1, bScale));
      const output = int8CaseParams(i + 3 * s + 2, outScale);
      const activation = CLAMPS[(i + s) % 3]!;
      it(`${op} [${aShape.join(', ')}] ${symbol} [${bShape.join(', ')}] scales ${aScale}, ${bScale} -> ${outScale} zp${output.zeroPoint} ${activation}`, async () => {
        await expectInt8MatchesReference(
          getBackend(),
          { run: (backend) => capabilityOf(backend, op)(a, b, { output, activation }), inputs: [a, b] },
          op,
        );
      });
    });
  });
}
