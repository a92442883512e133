import { useEffect, useRef, useState } from 'react';

/**
 * Whether the element has come near the viewport yet (and stays true once
 * it has): heavy parts such as charts are drawn when a reader scrolls to
 * them, not in the tab's first render. Where the browser has no
 * IntersectionObserver (jsdom), everything counts as in view.
 */
export function useInView<T extends Element>(
  rootMargin = '200px',
): [React.RefObject<T>, boolean] {
  const ref = useRef<T>(null);
  const [inView, setInView] = useState(
    () => typeof IntersectionObserver === 'undefined',
  );
  useEffect(() => {
    const el = ref.current;
    if (inView || !el) return undefined;
    const observer = new IntersectionObserver(
      entries => {
        if (entries.some(e => e.isIntersecting)) {
          setInView(true);
          observer.disconnect();
        }
      },
      { rootMargin },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [inView, rootMargin]);
  return [ref, inView];
}
