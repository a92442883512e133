/** What changed: an Application itself, or its resource tree. */
export type ArgoCdChangeKind = 'application' | 'tree';

/** One change the Argo CD streams (or the polling fallback) saw. */
export interface ArgoCdChange {
  /** The configured Argo CD instance's name. */
  instance: string;
  /** The Application that changed (also when it was deleted). */
  application: { name: string; appNamespace?: string; project?: string };
  kind: ArgoCdChangeKind;
}

/** Listens to changes; returns the function that stops listening. */
export interface ArgoCdChangeFeed {
  subscribe(listener: (change: ArgoCdChange) => void): () => void;
}

/** A change feed and the function its producer calls for each change. */
export interface ArgoCdChangeHub extends ArgoCdChangeFeed {
  publish(change: ArgoCdChange): void;
}

/**
 * Creates the backend's change feed: the Argo CD watch publishes into it,
 * whoever tells browsers of changes subscribes. A listener that throws is
 * isolated from the others and from the producer.
 */
export function createArgoCdChangeHub(options?: {
  onListenerError?: (error: unknown) => void;
}): ArgoCdChangeHub {
  const listeners = new Set<(change: ArgoCdChange) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    publish(change) {
      for (const listener of [...listeners]) {
        try {
          listener(change);
        } catch (error) {
          options?.onListenerError?.(error);
        }
      }
    },
  };
}
