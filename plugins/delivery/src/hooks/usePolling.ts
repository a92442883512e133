import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import { nextPollDelay } from '../lib/polling';

/** Options of {@link usePolling}. */
export interface PollingOptions<T> {
  /** Refresh interval while polling. */
  intervalMs: number;
  /** Cap of the back-off after errors. */
  maxIntervalMs?: number;
  /** Whether to keep refreshing, given the latest value. */
  shouldPoll: (value: T | undefined) => boolean;
}

/** State of a polled value; the last good value stays while a refresh fails. */
export interface PolledState<T> {
  value?: T;
  error?: Error;
  loading: boolean;
  /** When the value was last fetched (ms since epoch). */
  updatedAt?: number;
  /** True while refreshes are scheduled. */
  polling: boolean;
  /** The refresh interval while polling. */
  intervalMs: number;
  /** Fetches now. */
  refresh: () => void;
}

function useDocumentHidden(): boolean {
  const [hidden, setHidden] = useState(
    typeof document !== 'undefined' && document.hidden,
  );
  useEffect(() => {
    const onChange = () => setHidden(document.hidden);
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  return hidden;
}

/**
 * Fetches a value and, while `shouldPoll` says so, refreshes it on an
 * interval; pauses while the document is hidden and backs off on errors.
 */
export function usePolling<T>(
  fetcher: () => Promise<T>,
  options: PollingOptions<T>,
  deps: DependencyList,
): PolledState<T> {
  const [state, setState] = useState<{
    value?: T;
    error?: Error;
    loading: boolean;
    updatedAt?: number;
    failures: number;
  }>({ loading: true, failures: 0 });
  const hidden = useDocumentHidden();
  const generation = useRef(0);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;

  const load = useCallback(() => {
    const current = ++generation.current;
    setState(s => ({ ...s, loading: true }));
    fetcherRef.current().then(
      value => {
        if (current !== generation.current) return;
        setState({ value, loading: false, updatedAt: Date.now(), failures: 0 });
      },
      (error: Error) => {
        if (current !== generation.current) return;
        setState(s => ({
          ...s,
          error,
          loading: false,
          failures: s.failures + 1,
        }));
      },
    );
  }, []);

  useEffect(() => {
    setState({ loading: true, failures: 0 });
    load();
    return () => {
      // Ignore answers to requests of the previous dependencies; the ref is a
      // counter, not a DOM node, so reading it at cleanup time is intended.
      // eslint-disable-next-line react-hooks/exhaustive-deps
      generation.current++;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  const polling = options.shouldPoll(state.value);
  useEffect(() => {
    if (!polling || hidden || state.loading) return undefined;
    const timer = setTimeout(
      load,
      nextPollDelay(options.intervalMs, state.failures, options.maxIntervalMs),
    );
    return () => clearTimeout(timer);
  }, [
    polling,
    hidden,
    state.loading,
    state.failures,
    state.updatedAt,
    options.intervalMs,
    options.maxIntervalMs,
    load,
  ]);

  return {
    value: state.value,
    error: state.error,
    loading: state.loading,
    updatedAt: state.updatedAt,
    polling: polling && !hidden,
    intervalMs: options.intervalMs,
    refresh: load,
  };
}
