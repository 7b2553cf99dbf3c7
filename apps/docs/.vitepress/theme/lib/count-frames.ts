/**
 * Counts animation frames until the returned function is called, which returns the count: how
 * many times the page could draw while a demo's workers ran a network (a network on the main
 * thread would leave it near zero).
 */
export function countFrames(): () => number {
  let count = 0;
  let handle = requestAnimationFrame(function tick() {
    count++;
    handle = requestAnimationFrame(tick);
  });
  return () => {
    cancelAnimationFrame(handle);
    return count;
  };
}
