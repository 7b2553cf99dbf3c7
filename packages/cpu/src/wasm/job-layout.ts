/**
 * The job record layout (`JobSlot`, `JOB_WORDS`), the wasm kernel ids (`WasmKernel`), the
 * epilogue and binary op codes (`Epilogue`, `BinaryOp`) and the micro-kernel tiles (`GEMM_MR`,
 * `GEMM_NR`, `DWCONV_CHANNEL_TILE` and their `INT8_` twins): generated, with their
 * AssemblyScript twin, from scripts/job-layout.mjs by scripts/generate.mjs.
 */
export {
  BinaryOp,
  DWCONV_CHANNEL_TILE,
  Epilogue,
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
