import { createApiRef, useApiHolder } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';

/**
 * What the tab needs of the signals plugin's SignalApi (the `plugin.signal.service`
 * API of `@backstage/plugin-signals-react`): a subscription to a channel.
 */
interface SignalSubscriber {
  subscribe(
    channel: string,
    onMessage: (message: unknown) => void,
  ): { unsubscribe(): void };
}

/**
 * The signals plugin's API, looked up by its id, so the plugin depends on no
 * particular release of `@backstage/plugin-signals-react` (a 0.0.x package
 * whose caret ranges admit one release each: an app on another Backstage
 * release would install a second copy) and works without it installed.
 */
const signalApiRef = createApiRef<SignalSubscriber>({
  id: 'plugin.signal.service',
});

/**
 * The last message on `channel` when the app has the signals plugin, and
 * whether it has it (without it, the callers keep polling).
 */
export function useDeliverySignal<T>(channel: string) {
  const signals = useApiHolder().get(signalApiRef);
  const [lastSignal, setLastSignal] = useState<T | null>(null);
  useEffect(() => {
    if (!signals) return undefined;
    const { unsubscribe } = signals.subscribe(channel, message =>
      setLastSignal(message as T),
    );
    return unsubscribe;
  }, [signals, channel]);
  return { lastSignal, isSignalsAvailable: Boolean(signals) };
}
