// The one entry point every thread calls: run the job at `job` for its share [start, end)
// (output rows or pixels, as the kernel defines), using scratch area `scratch`.
import { activation } from './activation';
import { binary } from './binary';
import { directConv } from './direct-conv';
import { dwconv } from './dwconv';
import { gemm, igemm } from './gemm';
import { gemmNarrow } from './gemm-narrow';
import { globalAvgPool } from './global-avg-pool';
import { int8Add } from './int8-add';
import { int8Dwconv } from './int8-dwconv';
import { int8Gemm, int8Igemm } from './int8-gemm';
import { int8GemmRelaxedDot } from './int8-gemm-relaxed-dot';
import { int8Lookup } from './int8-lookup';
import { int8Mul } from './int8-mul';
import { int8Quantize } from './int8-quantize';
import { int8SepconvFused } from './int8-sepconv';
import * as J from './job';
import { packGemm } from './pack-gemm';
import { sepconvFused } from './sepconv';

export function run(job: usize, start: i32, end: i32, thread: i32): void {
  const kernel = J.geti(job, J.KERNEL);
  const scratch = J.getp(job, J.SCRATCH) + <usize>thread * J.getp(job, J.SCRATCH_STRIDE);
  switch (kernel) {
    case J.DWCONV_GENERIC:
    case J.DWCONV_3X3S1:
    case J.DWCONV_3X3S2:
    case J.DWCONV_5X5S1:
    case J.DWCONV_5X5S2:
      dwconv(job, start, end, kernel);
      break;
    case J.GEMM:
      gemm(job, start, end, scratch);
      break;
    case J.GEMM_NARROW:
      gemmNarrow(job, start, end, scratch);
      break;
    case J.IGEMM:
      igemm(job, start, end, scratch);
      break;
    case J.DIRECT_CONV:
      directConv(job, start, end, scratch);
      break;
    case J.SEPCONV_FUSED:
      sepconvFused(job, start, end, scratch);
      break;
    case J.INT_8_DWCONV:
      int8Dwconv(job, start, end, scratch);
      break;
    case J.INT_8_GEMM:
      int8Gemm(job, start, end, scratch);
      break;
    case J.INT_8_GEMM_RELAXED_DOT:
      int8GemmRelaxedDot(job, start, end);
      break;
    case J.INT_8_IGEMM:
      int8Igemm(job, start, end, scratch);
      break;
    case J.INT_8_SEPCONV_FUSED:
      int8SepconvFused(job, start, end, scratch);
      break;
    case J.INT_8_ADD:
      int8Add(job, start, end, scratch);
      break;
    case J.INT_8_MUL:
      int8Mul(job, start, end, scratch);
      break;
    case J.INT_8_LOOKUP:
      int8Lookup(job, start, end, scratch);
      break;
    case J.INT_8_QUANTIZE:
      int8Quantize(job, start, end);
      break;
    case J.ACTIVATION:
      activation(job, start, end);
      break;
    case J.BINARY:
      binary(job, start, end);
      break;
    case J.GLOBAL_AVG_POOL:
      globalAvgPool(job, start, end);
      break;
    case J.PACK_GEMM:
      packGemm(job, start, end);
      break;
    case J.TRAP:
      // Fails on worker threads only, so tests can check that a worker's failure reaches the
      // caller. The calling thread holds its chunk until the word at X (the pool's `failed`
      // word) is set, so that a worker is sure to claim the other chunk.
      if (thread > 0) unreachable();
      if (ASC_FEATURE_THREADS) {
        while (atomic.load<i32>(J.getp(job, J.X)) == 0) {}
      }
      break;
    default:
      // Unknown ids: a trap, which the caller reports as a kernel failure.
      unreachable();
  }
}
