import type {
  HealthStatus,
  RouterResourceView,
  TrafficRoutingView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { ArgoCdResourceNode } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { RouterObject, TrafficRoutingObject } from './rolloutTypes';
import { routedCanaryWeight } from './routerWeight';

/** A resource a router writes weights to, before it is looked up in the tree. */
interface RouterResourceRef {
  kind: string;
  name: string;
  namespace?: string;
}

/** The Gateway API plugin's configuration (argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi). */
interface GatewayApiPlugin {
  httpRoute?: string;
  httpRoutes?: Array<{ name?: string }>;
  namespace?: string;
}

const HEALTH: ReadonlyArray<HealthStatus> = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
];

const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

const names = (list: Array<string | undefined>): string[] =>
  list.filter((n): n is string => typeof n === 'string' && n.length > 0);

/** Istio names a VirtualService `name` or `name.namespace`. */
function istioRef(kind: string, name: string): RouterResourceRef {
  const [vsName, namespace] = name.split('.', 2);
  return namespace ? { kind, name: vsName, namespace } : { kind, name };
}

/**
 * The resources each configured router writes the canary weight to, as
 * the Argo Rollouts controller names them (v1.9): the NGINX router writes a
 * second, canary Ingress `<rollout>-<stable ingress>-canary`; SMI's
 * TrafficSplit defaults to the Rollout's name.
 */
function routerResources(
  routing: TrafficRoutingObject,
  rolloutName: string,
): Array<{ provider: string; refs: RouterResourceRef[] }> {
  const routers: Array<{ provider: string; refs: RouterResourceRef[] }> = [];
  if (routing.istio) {
    const vs = names([
      routing.istio.virtualService?.name,
      ...(routing.istio.virtualServices ?? []).map(v => v.name),
    ]);
    const refs = vs.map(n => istioRef('VirtualService', n));
    if (routing.istio.destinationRule?.name) {
      refs.push(
        istioRef('DestinationRule', routing.istio.destinationRule.name),
      );
    }
    routers.push({ provider: 'istio', refs });
  }
  if (routing.nginx) {
    const stable = names([
      routing.nginx.stableIngress,
      ...(routing.nginx.stableIngresses ?? []),
    ]);
    routers.push({
      provider: 'nginx',
      refs: stable.flatMap(n => [
        { kind: 'Ingress', name: n },
        { kind: 'Ingress', name: `${rolloutName}-${n}-canary` },
      ]),
    });
  }
  if (routing.alb) {
    const ingresses = names([
      routing.alb.ingress,
      ...(routing.alb.ingresses ?? []),
    ]);
    routers.push({
      provider: 'alb',
      refs: ingresses.map(n => ({ kind: 'Ingress', name: n })),
    });
  }
  if (routing.smi) {
    routers.push({
      provider: 'smi',
      refs: [
        {
          kind: 'TrafficSplit',
          name: routing.smi.trafficSplitName || rolloutName,
        },
      ],
    });
  }
  if (routing.traefik) {
    routers.push({
      provider: 'traefik',
      refs: names([routing.traefik.weightedTraefikServiceName]).map(n => ({
        kind: 'TraefikService',
        name: n,
      })),
    });
  }
  if (routing.ambassador) {
    routers.push({
      provider: 'ambassador',
      refs: names(routing.ambassador.mappings ?? []).map(n => ({
        kind: 'Mapping',
        name: n,
      })),
    });
  }
  if (routing.apisix) {
    routers.push({
      provider: 'apisix',
      refs: names([routing.apisix.route?.name]).map(n => ({
        kind: 'ApisixRoute',
        name: n,
      })),
    });
  }
  if (routing.appMesh) {
    routers.push({
      provider: 'appMesh',
      refs: names([routing.appMesh.virtualService?.name]).map(n => ({
        kind: 'VirtualRouter',
        name: n,
      })),
    });
  }
  for (const [plugin, config] of Object.entries(routing.plugins ?? {})) {
    if (plugin === GATEWAY_API_PLUGIN) {
      const gw = (config ?? {}) as GatewayApiPlugin;
      routers.push({
        provider: 'gatewayAPI',
        refs: names([
          gw.httpRoute,
          ...(gw.httpRoutes ?? []).map(r => r.name),
        ]).map(n => ({ kind: 'HTTPRoute', name: n, namespace: gw.namespace })),
      });
    } else {
      routers.push({ provider: plugin, refs: [] });
    }
  }
  return routers;
}

/** The tree node of a router resource, if the Application has it. */
function nodeOf(
  ref: RouterResourceRef,
  rolloutNamespace: string,
  treeNodes: ReadonlyArray<ArgoCdResourceNode>,
): ArgoCdResourceNode | undefined {
  const namespace = ref.namespace ?? rolloutNamespace;
  return treeNodes.find(
    n =>
      n.kind === ref.kind &&
      n.name === ref.name &&
      (n.namespace ?? '') === namespace,
  );
}

/**
 * The tree nodes of the resources the canary's routers write weights to
 * (to read them live), in router order.
 */
export function routerResourceNodes(
  routing: TrafficRoutingObject | undefined,
  rolloutName: string,
  rolloutNamespace: string,
  treeNodes: ReadonlyArray<ArgoCdResourceNode>,
): ArgoCdResourceNode[] {
  if (!routing) return [];
  return routerResources(routing, rolloutName)
    .flatMap(router => router.refs)
    .map(ref => nodeOf(ref, rolloutNamespace, treeNodes))
    .filter((n): n is ArgoCdResourceNode => n !== undefined);
}

/** The Istio routes the Rollout manages (all of them when it names none). */
function istioRoutes(routing: TrafficRoutingObject): string[] {
  return [
    ...(routing.istio?.virtualService?.routes ?? []),
    ...(routing.istio?.virtualServices ?? []).flatMap(v => v.routes ?? []),
  ];
}

/** What toTrafficRoutingView reads besides the Rollout's spec. */
export interface TrafficRoutingInput {
  rolloutName: string;
  rolloutNamespace: string;
  canaryService?: string;
  treeNodes: ReadonlyArray<ArgoCdResourceNode>;
  /** The router resources read live (routerResourceNodes). */
  routerObjects?: ReadonlyArray<RouterObject>;
}

/**
 * The canary's traffic routers with their resources as the Application's
 * tree has them (found or not, and their health) and the canary weight
 * each carries live, or undefined without traffic routing (the canary's
 * weight is then its share of the pods).
 */
export function toTrafficRoutingView(
  routing: TrafficRoutingObject | undefined,
  input: TrafficRoutingInput,
): TrafficRoutingView | undefined {
  if (!routing) return undefined;
  const { rolloutName, rolloutNamespace, treeNodes } = input;
  const routers = routerResources(routing, rolloutName).map(router => ({
    provider: router.provider,
    resources: router.refs.map((ref): RouterResourceView => {
      const namespace = ref.namespace ?? rolloutNamespace;
      const node = nodeOf(ref, rolloutNamespace, treeNodes);
      const view: RouterResourceView = {
        kind: ref.kind,
        name: ref.name,
        namespace,
        found: Boolean(node),
      };
      const live = (input.routerObjects ?? []).find(
        o =>
          o.kind === ref.kind &&
          o.name === ref.name &&
          o.namespace === namespace,
      );
      const weight = routedCanaryWeight(
        ref.kind,
        live?.object,
        input.canaryService,
        istioRoutes(routing),
      );
      if (weight !== undefined) view.canaryWeight = weight;
      const status = node?.health?.status as HealthStatus | undefined;
      if (status && HEALTH.includes(status)) {
        view.health = { status, message: node?.health?.message };
      }
      return view;
    }),
  }));
  const managedRoutes = names((routing.managedRoutes ?? []).map(r => r.name));
  return managedRoutes.length ? { routers, managedRoutes } : { routers };
}
