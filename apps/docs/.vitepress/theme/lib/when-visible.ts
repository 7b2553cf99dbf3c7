/**
 * Calls `action` once, the first time `element` comes within `margin` of the viewport (the
 * margin starts a download a little before the visitor arrives). Where the browser has no
 * IntersectionObserver, at once. Returns a function that stops waiting, for a component that
 * goes away first.
 */
export function whenVisible(element: Element, action: () => void, margin = '200px'): () => void {
  if (typeof IntersectionObserver === 'undefined') {
    action();
    return () => undefined;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      action();
    },
    { rootMargin: margin },
  );
  observer.observe(element);
  return () => observer.disconnect();
}
