import type { BackendPluginRegistrationPoints } from '@backstage/backend-plugin-api';
import {
  deliveryCiProvidersExtensionPoint,
  deliveryGateKindsExtensionPoint,
  deliveryMetricsProvidersExtensionPoint,
  deliveryOverviewExtensionPoint,
  deliveryScannersExtensionPoint,
  type DeliveryCiProvider,
  type DeliveryMetricsProvider,
  type DeliveryOverviewContributor,
  type DeliveryOverviewObserver,
  type DeliveryScanner,
  type GateKindDefinition,
} from '@gitops-delivery/backstage-plugin-delivery-node';

/** What modules added through the Delivery extension points. */
export interface DeliveryExtensions {
  scanners: DeliveryScanner[];
  gateKinds: GateKindDefinition[];
  metricsProviders: DeliveryMetricsProvider[];
  ciProviders: DeliveryCiProvider[];
  contributors: DeliveryOverviewContributor[];
  observers: DeliveryOverviewObserver[];
}

function uniqueIn<T>(
  list: T[],
  what: string,
  idOf: (item: T) => string,
  reserved: ReadonlyArray<string>,
) {
  return (item: T) => {
    const id = idOf(item);
    if (!id || reserved.includes(id) || list.some(i => idOf(i) === id)) {
      throw new Error(
        `Delivery: a ${what} with the id "${id}" is already registered`,
      );
    }
    list.push(item);
  };
}

/**
 * Registers the Delivery extension points on the plugin; what modules add
 * through them is in the returned lists by the time the plugin's `init`
 * runs. Ids are unique, the built-ins' included (they are added at init).
 */
export function registerDeliveryExtensionPoints(
  env: Pick<BackendPluginRegistrationPoints, 'registerExtensionPoint'>,
  reserved: {
    scanners: ReadonlyArray<string>;
    gateKinds: ReadonlyArray<string>;
    metricsProviders: ReadonlyArray<string>;
    ciProviders: ReadonlyArray<string>;
  },
): DeliveryExtensions {
  const added: DeliveryExtensions = {
    scanners: [],
    gateKinds: [],
    metricsProviders: [],
    ciProviders: [],
    contributors: [],
    observers: [],
  };
  env.registerExtensionPoint(deliveryScannersExtensionPoint, {
    addScanner: uniqueIn(
      added.scanners,
      'scanner',
      s => s.id,
      reserved.scanners,
    ),
  });
  const addGateKind = uniqueIn(
    added.gateKinds,
    'gate kind',
    k => k.kind,
    reserved.gateKinds,
  );
  env.registerExtensionPoint(deliveryGateKindsExtensionPoint, {
    addGateKind: definition => addGateKind(definition as GateKindDefinition),
  });
  env.registerExtensionPoint(deliveryMetricsProvidersExtensionPoint, {
    addMetricsProvider: uniqueIn(
      added.metricsProviders,
      'metrics provider',
      p => p.id,
      reserved.metricsProviders,
    ),
  });
  env.registerExtensionPoint(deliveryCiProvidersExtensionPoint, {
    addCiProvider: uniqueIn(
      added.ciProviders,
      'CI provider',
      p => p.id,
      reserved.ciProviders,
    ),
  });
  env.registerExtensionPoint(deliveryOverviewExtensionPoint, {
    addContributor: contributor => added.contributors.push(contributor),
    addObserver: observer => added.observers.push(observer),
  });
  return added;
}
