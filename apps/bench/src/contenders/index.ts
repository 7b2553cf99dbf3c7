import type { Contender } from '../contender.js';
import { onnxruntimeNode, onnxruntimeNode2Threads } from './onnxruntime-node.js';
import { onnxruntimeWeb } from './onnxruntime-web.js';
import { sepconvCpu, sepconvCpu2Threads } from './sepconv-cpu.js';
import { sepconvReference } from './sepconv-reference.js';
import { sepconvWebGpu } from './sepconv-webgpu.js';
import { tfjsCpu } from './tfjs-cpu.js';
import { tfjsWasm } from './tfjs-wasm.js';
import { tfjsWebGpu } from './tfjs-webgpu.js';

/**
 * Every contender, in the order the table shows them. The first one that ran a case is what
 * the others' outputs are checked against: the reference on small cases, then
 * onnxruntime-node (an independent implementation) on the rest.
 */
export const contenders: readonly Contender[] = [
  sepconvReference,
  onnxruntimeNode,
  sepconvCpu,
  sepconvCpu2Threads,
  onnxruntimeNode2Threads,
  onnxruntimeWeb,
  tfjsWasm,
  tfjsCpu,
  sepconvWebGpu,
  tfjsWebGpu,
];
