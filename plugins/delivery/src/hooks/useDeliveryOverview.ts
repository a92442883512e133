import {
  getCompoundEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  deliveryEntityChannel,
  type DeliveryChangedSignal,
  type DeliveryOverview,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { useEffect, useState } from 'react';
import { deliveryApiRef } from '../api';
import { shouldPollOverview } from '../lib/rollout';
import { useDeliverySignal } from './useDeliverySignal';
import { usePolling, type PolledState } from './usePolling';

/** Default refresh interval while a rollout progresses. */
export const DEFAULT_POLL_INTERVAL_MS = 15_000;

/** Default refresh interval while change signals arrive (the fallback). */
export const DEFAULT_LIVE_POLL_INTERVAL_MS = 60_000;

/**
 * How long after the tab subscribes to its change signals it revalidates
 * the view once: the signals socket connects after the first fetch has
 * started, and a change in between is signalled before anyone listens.
 */
export const REVALIDATE_AFTER_SUBSCRIBE_MS = 2_000;

/** The overview's state, with whether change signals keep it current. */
export interface DeliveryOverviewState extends PolledState<DeliveryOverview> {
  /**
   * True where the signals plugin is installed: the view refetches when
   * the backend says it changed, and polls only as a slower fallback.
   */
  live: boolean;
  /** How many change signals arrived (a key for parts that refetch on change). */
  changes: number;
}

function seconds(value: number | undefined): number | undefined {
  return value && value > 0 ? value * 1000 : undefined;
}

/**
 * The entity's delivery overview. Where the signals plugin is installed it
 * refetches whenever the backend signals a change of the entity's view
 * (`delivery:entity:<ref>`) and polls, while a rollout progresses, only
 * every `delivery.ui.livePollIntervalSeconds` (default 60 s) in case a
 * signal is lost; without signals it polls every `pollIntervalMs`, else
 * `delivery.ui.pollIntervalSeconds`, else 15 s. Each refetch is conditional
 * (If-None-Match): an unchanged view costs a 304.
 */
export function useDeliveryOverview(
  entity: Entity,
  options: { pollIntervalMs?: number } = {},
): DeliveryOverviewState {
  const api = useApi(deliveryApiRef);
  const config = useApi(configApiRef);
  const ref = getCompoundEntityRef(entity);
  const { lastSignal, isSignalsAvailable } =
    useDeliverySignal<DeliveryChangedSignal>(
      deliveryEntityChannel(stringifyEntityRef(ref)),
    );
  const pollMs =
    options.pollIntervalMs ??
    seconds(config.getOptionalNumber('delivery.ui.pollIntervalSeconds')) ??
    DEFAULT_POLL_INTERVAL_MS;
  const livePollMs = Math.max(
    pollMs,
    seconds(config.getOptionalNumber('delivery.ui.livePollIntervalSeconds')) ??
      DEFAULT_LIVE_POLL_INTERVAL_MS,
  );
  const state = usePolling(
    () => api.getOverview(ref),
    {
      intervalMs: isSignalsAvailable ? livePollMs : pollMs,
      shouldPoll: shouldPollOverview,
    },
    [api, ref.kind, ref.namespace, ref.name],
  );

  const { refresh } = state;
  // once the socket has had time to subscribe, one conditional refetch
  // (a 304 when nothing changed) catches a signal sent before it had
  useEffect(() => {
    if (!isSignalsAvailable) return undefined;
    const timer = setTimeout(refresh, REVALIDATE_AFTER_SUBSCRIBE_MS);
    return () => clearTimeout(timer);
  }, [isSignalsAvailable, refresh, ref.kind, ref.namespace, ref.name]);

  // each signal is a new object, also when two say the same
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    if (!lastSignal) return;
    setChanges(c => c + 1);
    refresh();
  }, [lastSignal, refresh]);

  return { ...state, live: isSignalsAvailable, changes };
}
