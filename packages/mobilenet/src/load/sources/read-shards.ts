import { concatenateShards } from '../../weights/index.js';
import { abortable, linkedController } from '../abort.js';
import type { LoadContext, ShardRef } from './model-source.js';

/**
 * Reads every shard at once (as TensorFlow.js does: a model's shards are a few MB each) and
 * concatenates them in manifest order. The first failure cancels the other reads through the
 * signal `readOne` is given, so no fetch goes on downloading for a load that already failed.
 */
export async function readShardsInParallel(
  shards: readonly ShardRef[],
  context: LoadContext,
  readOne: (shard: ShardRef, context: LoadContext) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const { controller, release } = linkedController(context.signal);
  const inner = { ...context, signal: controller.signal };
  let failure: { error: unknown } | undefined;
  try {
    const reads = shards.map((shard) =>
      readOne(shard, inner).catch((error: unknown) => {
        if (failure === undefined) {
          failure = { error };
          controller.abort(error);
        }
        throw error;
      }),
    );
    return concatenateShards(await abortable(context.op, Promise.all(reads), context.signal));
  } catch (error) {
    // The siblings that the first failure cancelled reject too; the first failure is the one to report.
    throw failure !== undefined && !context.signal?.aborted ? failure.error : error;
  } finally {
    release();
  }
}
