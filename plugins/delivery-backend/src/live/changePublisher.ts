import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  deliveryEntityChannel,
  type DeliveryChangedSignal,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** Tells open tabs that entities' delivery views changed. */
export interface ChangePublisher {
  /** Publishes "changed" for each entity (coalesced per entity). */
  entitiesChanged(entityRefs: Iterable<string>): void;
  /** Publishes what is still waiting and stops the timers. */
  flush(): Promise<void>;
}

/** Options of {@link createChangePublisher}. */
export interface ChangePublisherOptions {
  /** Backstage's signals service; without it nothing is published. */
  signals?: SignalsService;
  logger: LoggerService;
  /**
   * The shortest time between two signals of one entity. A canary step
   * changes the Rollout, its ReplicaSets, pods and an AnalysisRun within
   * moments: the first change is published at once, what follows within the
   * window once at its end, so a tab refetches twice, not ten times.
   */
  coalesceMs: number;
}

/**
 * Creates the ChangePublisher: a broadcast signal per entity on
 * `delivery:entity:<ref>` whose message names only the entity; the browser
 * refetches the view through the routes, which check the user's rights.
 * Publishing never throws into the caller: a failure is logged.
 */
export function createChangePublisher(
  options: ChangePublisherOptions,
): ChangePublisher {
  const { signals, logger, coalesceMs } = options;
  // entity → end of its window, and whether a change waits for that end
  const windows = new Map<
    string,
    { timer: ReturnType<typeof setTimeout>; pending: boolean }
  >();
  const inFlight = new Set<Promise<void>>();

  function publish(entityRef: string) {
    if (!signals) return;
    const message: DeliveryChangedSignal = { type: 'changed', entityRef };
    const sent = signals
      .publish({
        recipients: { type: 'broadcast' },
        channel: deliveryEntityChannel(entityRef),
        message,
      })
      .catch(error => {
        logger.warn(
          `Delivery: the signal for ${entityRef} could not be published: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
      })
      .finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  }

  function openWindow(entityRef: string) {
    const timer = setTimeout(() => {
      const window = windows.get(entityRef);
      windows.delete(entityRef);
      if (window?.pending) {
        publish(entityRef);
        openWindow(entityRef);
      }
    }, coalesceMs);
    // a waiting signal never keeps the process alive
    timer.unref?.();
    windows.set(entityRef, { timer, pending: false });
  }

  return {
    entitiesChanged(entityRefs) {
      for (const raw of entityRefs) {
        const entityRef = raw.trim().toLocaleLowerCase('en-US');
        if (!entityRef) continue;
        const window = windows.get(entityRef);
        if (window) {
          window.pending = true;
          continue;
        }
        publish(entityRef);
        if (coalesceMs > 0) openWindow(entityRef);
      }
    },
    async flush() {
      for (const [entityRef, window] of [...windows]) {
        clearTimeout(window.timer);
        windows.delete(entityRef);
        if (window.pending) publish(entityRef);
      }
      await Promise.all([...inFlight]);
    },
  };
}
