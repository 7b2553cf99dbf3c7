import { UnsupportedError } from '@sepconv/tensor';

/** One node the reader has no lowering for. */
export interface UnsupportedOnnxNode {
  /** The node's name (or `#index` when the file leaves it empty). */
  readonly node: string;
  readonly opType: string;
  /** The operator set domain, `''` for ONNX's own. */
  readonly domain: string;
}

/**
 * Every node of an ONNX graph that `loadOnnxModel` cannot lower, listed in one error (so a
 * user learns the whole gap at once, not one operator per attempt).
 */
export class UnsupportedOnnxOperatorsError extends UnsupportedError {
  override name = 'UnsupportedOnnxOperatorsError';

  constructor(
    op: string,
    readonly nodes: readonly UnsupportedOnnxNode[],
    supported: readonly string[],
  ) {
    const kinds = [...new Set(nodes.map((n) => (n.domain ? `${n.domain}.${n.opType}` : n.opType)))];
    const listed = nodes.map((n) => `'${n.node}' (${n.domain ? `${n.domain}.` : ''}${n.opType})`).join(', ');
    super(
      op,
      'bytes',
      `the graph has ${nodes.length} node(s) of operator(s) the reader does not lower — ${kinds.join(', ')}: ${listed}. Supported (ONNX domain, opsets 9–21): ${supported.join(', ')}`,
    );
  }
}
