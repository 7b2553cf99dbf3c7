/**
 * A demo panel's model in its two workers (`demo-workers.ts`) as Vue state, shared by the
 * classifier and the face detector: the model's files are fetched and read on the page, then
 * sent to a worker per backend; the panel shows the progress and any error, and the workers
 * close when the panel does.
 *
 * `when: 'visible'` defers all of it until the panel first comes near the viewport: the face
 * detector's weights are 5.6 MB, too much to fetch for a visitor who never scrolls to it.
 */
import { onBeforeUnmount, onMounted, ref, shallowRef, type Ref } from 'vue';
import { closeModelWorkers, errorText, openModelWorkers, type ModelWorkers } from './demo-workers.js';
import { whenVisible } from './when-visible.js';

/** What a panel's `load` gives: the model's spec and weights, and whatever else the page needs of it. */
export interface LoadedForWorkers {
  readonly spec: Parameters<typeof openModelWorkers>[0];
  readonly weights: Parameters<typeof openModelWorkers>[1];
}

/** When a panel's model loads: as the panel mounts, or when `panel` first comes into view. */
export type ModelWorkersStart = { readonly when: 'mounted' } | { readonly when: 'visible'; readonly panel: Ref<HTMLElement | undefined> };

/**
 * `load` fetches and reads the model on the page, reporting the fraction received; all it
 * returns but the weights (the spec, the detector's anchors) stays on the page as `loaded`. The
 * weights go to the workers and are not kept here.
 */
export function useModelWorkers<Loaded extends LoadedForWorkers>(
  load: (onProgress: (fraction: number) => void) => Promise<Loaded>,
  start: ModelWorkersStart = { when: 'mounted' },
) {
  /** Whether loading has begun: before that a lazy panel says when it will. */
  const started = ref(false);
  const progress = ref(0);
  const loaded = shallowRef<Omit<Loaded, 'weights'>>();
  const workers = shallowRef<ModelWorkers>();
  const error = ref<string>();
  let closed = false;
  let stopWaiting: (() => void) | undefined;

  async function open(): Promise<void> {
    if (started.value) return;
    started.value = true;
    try {
      const model = await load((fraction) => (progress.value = fraction));
      const opened = await openModelWorkers(model.spec, model.weights);
      if (closed) {
        // The panel went away while the files loaded: nothing else will close these workers.
        await closeModelWorkers(opened);
        return;
      }
      const { weights: _sent, ...kept } = model;
      loaded.value = kept;
      workers.value = opened;
    } catch (e) {
      error.value = errorText(e);
    }
  }

  onMounted(() => {
    if (start.when === 'mounted') void open();
    else if (start.panel.value) stopWaiting = whenVisible(start.panel.value, () => void open());
  });
  onBeforeUnmount(() => {
    closed = true;
    stopWaiting?.();
    if (workers.value) void closeModelWorkers(workers.value);
  });
  return { started, progress, loaded, workers, error };
}
