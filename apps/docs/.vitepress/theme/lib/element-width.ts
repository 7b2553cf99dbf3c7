import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** Charts narrower than this stop being readable; below it they scroll sideways instead. */
const MIN_CHART_WIDTH = 300;

/**
 * The content width of an element, kept current with a ResizeObserver, so a chart drawn at
 * that width fits a phone and a desktop alike. Before mounting (and during the build's
 * server render) it is `fallback`, Plot's default width.
 */
export function useElementWidth(element: Ref<HTMLElement | undefined>, fallback = 640): Ref<number> {
  const width = ref(fallback);
  let observer: ResizeObserver | undefined;
  onMounted(() => {
    if (!element.value) return;
    observer = new ResizeObserver(([entry]) => {
      // Whole pixels: sub-pixel changes would redraw the chart for nothing.
      if (entry) width.value = Math.max(MIN_CHART_WIDTH, Math.floor(entry.contentRect.width));
    });
    observer.observe(element.value);
  });
  onBeforeUnmount(() => observer?.disconnect());
  return width;
}
