import { WGSL_WORKGROUP_INDEX } from './dispatch-grid.js';

/**
 * WGSL that splits an invocation's flat index over an NHWC output, channels fastest: `channel`
 * (the index modulo `params.<channelsField>`, so neighbouring invocations touch neighbouring
 * channels), then the column `column` (set from `rest`, the index with the channels divided out,
 * by `columnExpression`, and advanced past by `params.<columnsField>`), then `oy` and `b` over
 * `params.outHeight`. Invocations past `params.total` return. The one place this index
 * arithmetic is written; {@link wgslPixelIndex} and `wgslRowBlockIndex` name its two uses.
 */
export function wgslOutputIndex(
  workgroupSize: number,
  channel: string,
  channelsField: string,
  column: string,
  columnExpression: string,
  columnsField: string,
): string {
  return `  let index = ${WGSL_WORKGROUP_INDEX} * ${workgroupSize} + i32(local);
  if (index >= params.total) { return; }
  let ${channel} = index % params.${channelsField};
  var rest = index / params.${channelsField};
  let ${column} = ${columnExpression};
  rest = rest / params.${columnsField};
  let oy = rest % params.outHeight;
  let b = rest / params.outHeight;`;
}

/**
 * WGSL that turns an invocation's flat index into the one output element it computes:
 * `channel` (over `params.<channelsField>`: channels, or channel groups of 4), `ox`, `oy` and
 * `b`; invocations past `params.total` return. Shared by the one-element-per-invocation programs,
 * whose params hold `total`, `outWidth`, `outHeight` and `channelsField`.
 */
export function wgslPixelIndex(workgroupSize: number, channel: string, channelsField: string): string {
  return wgslOutputIndex(workgroupSize, channel, channelsField, 'ox', 'rest % params.outWidth', 'outWidth');
}
