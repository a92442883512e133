/** How the watch streams retry, fall back and let go. @public */
export interface ArgoCdWatchTiming {
  /** First wait before reconnecting a stream; doubles per failure. Default 1 s. */
  backoffMs: number;
  /** Longest wait between reconnects. Default 30 s. */
  maxBackoffMs: number;
  /**
   * How long a new stream of Applications may take to send the Applications
   * a list finds: a server or proxy that does not pass the stream on (it
   * buffers, or never sends) is told apart from a quiet one this way.
   * Default 10 s.
   */
  syncTimeoutMs: number;
  /** A stream that stayed up this long resets the back-off. Default 30 s. */
  stableMs: number;
  /** Failed streams in a row after which the instance is polled. Default 3. */
  failuresBeforePolling: number;
  /** The list interval while polling. Default 10 s. */
  pollIntervalMs: number;
  /** While polling, streaming is tried again after this long. Default 5 min. */
  streamRetryMs: number;
  /** A tree stream stays open this long after a view read the tree. Default 5 min. */
  viewInterestMs: number;
  /** An instance's streams stop after this long without any read. Default 15 min. */
  idleMs: number;
  /**
   * How often a current Application stream is checked against a list of
   * the same query: a stream that has not sent a change the list shows
   * within `syncTimeoutMs` more (a proxy that began to buffer, a stalled
   * connection) has failed. Default 5 min.
   */
  verifyMs: number;
}

/** The defaults of ArgoCdWatchTiming. */
export const DEFAULT_WATCH_TIMING: ArgoCdWatchTiming = {
  backoffMs: 1_000,
  maxBackoffMs: 30_000,
  syncTimeoutMs: 10_000,
  stableMs: 30_000,
  failuresBeforePolling: 3,
  pollIntervalMs: 10_000,
  streamRetryMs: 5 * 60_000,
  viewInterestMs: 5 * 60_000,
  idleMs: 15 * 60_000,
  verifyMs: 5 * 60_000,
};

/** The wait before the `failures`-th reconnect, with ±20% jitter. */
export function backoffDelay(timing: ArgoCdWatchTiming, failures: number) {
  const base = Math.min(
    timing.maxBackoffMs,
    timing.backoffMs * 2 ** Math.max(0, failures - 1),
  );
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Waits `ms`, or less when `signal` aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    timer.unref?.();
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
