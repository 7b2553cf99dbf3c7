import type { GpuProgram } from './gpu-program.js';

/**
 * The binding and uniform declarations every program starts with: read-only storage inputs
 * at 0…n−1 (element type per input), the output at n, the `Params` uniform struct at n+1.
 * Generated from the program's data so bindings and the host-side bind group cannot drift.
 */
export function wgslHeader(
  program: Pick<GpuProgram, 'inputs'>,
  uniformNames: readonly string[],
  elementTypes: Readonly<Record<string, string>> = {},
): string {
  const lines: string[] = [];
  lines.push(`struct Params {\n${uniformNames.map((name) => `  ${name}: i32,`).join('\n')}\n}`);
  program.inputs.forEach((name, binding) => {
    lines.push(`@group(0) @binding(${binding}) var<storage, read> ${name}: array<${elementTypes[name] ?? 'f32'}>;`);
  });
  const outBinding = program.inputs.length;
  lines.push(`@group(0) @binding(${outBinding}) var<storage, read_write> y: array<${elementTypes.y ?? 'f32'}>;`);
  lines.push(`@group(0) @binding(${outBinding + 1}) var<uniform> params: Params;`);
  return lines.join('\n');
}
