/**
 * The job record layout (`JobSlot`, `JOB_WORDS`), the wasm kernel ids (`WasmKernel`) and the
 * micro-kernel tiles (`GEMM_MR`, `GEMM_NR`, `DWCONV_CHANNEL_TILE` and their `INT8_` twins):
 * generated, with their AssemblyScript twin, from scripts/job-layout.mjs
 * by scripts/generate.mjs.
 */
export {
  DWCONV_CHANNEL_TILE,
  GEMM_MR,
  GEMM_NR,
  INT8_DWCONV_CHANNEL_TILE,
  INT8_GEMM_KR,
  INT8_GEMM_MR,
  INT8_GEMM_NR,
  JOB_WORDS,
  JobSlot,
  WasmKernel,
} from '../generated/job-layout.js';
