/*
 * The canary weight a traffic router's resource actually carries, read from
 * the live object the way Argo Rollouts (v1.9) writes it for each router.
 */

type Json = Record<string, any>;

/** Whether a destination host names the service (`svc`, `svc.ns`, `svc.ns.svc.cluster.local`). */
function isService(host: unknown, service: string): boolean {
  return typeof host === 'string' && host.split('.')[0] === service;
}

/** A weight as a percentage of the total, when the parts do not add to 100. */
function share(weight: number, total: number): number | undefined {
  if (!Number.isFinite(weight) || !Number.isFinite(total) || total <= 0) {
    return undefined;
  }
  return Math.round((weight / total) * 1000) / 10;
}

function weightsOf(
  entries: Json[],
  isCanary: (e: Json) => boolean,
): number | undefined {
  const canary = entries.find(isCanary);
  if (!canary) return undefined;
  const total = entries.reduce((sum, e) => sum + (Number(e.weight) || 0), 0);
  return share(Number(canary.weight) || 0, total);
}

function virtualService(
  object: Json,
  canaryService: string,
  routes?: string[],
): number | undefined {
  const http: Json[] = Array.isArray(object.spec?.http) ? object.spec.http : [];
  const named = http.filter(
    r => !routes?.length || routes.includes(r.name as string),
  );
  for (const route of named) {
    const destinations: Json[] = Array.isArray(route.route) ? route.route : [];
    const weight = weightsOf(destinations, d =>
      isService(d.destination?.host, canaryService),
    );
    if (weight !== undefined) return weight;
  }
  return undefined;
}

function ingress(object: Json, canaryService: string): number | undefined {
  const annotations: Json = object.metadata?.annotations ?? {};
  if (annotations['nginx.ingress.kubernetes.io/canary'] === 'true') {
    const weight = Number(
      annotations['nginx.ingress.kubernetes.io/canary-weight'],
    );
    return Number.isFinite(weight) ? weight : 0;
  }
  // ALB: a forward action per root service lists its target groups' weights
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith('alb.ingress.kubernetes.io/actions.')) continue;
    try {
      const groups: Json[] =
        JSON.parse(String(value))?.forwardConfig?.targetGroups ?? [];
      const weight = weightsOf(groups, g => g.serviceName === canaryService);
      if (weight !== undefined) return weight;
    } catch {
      // not an action annotation Argo Rollouts wrote
    }
  }
  return undefined;
}

/**
 * The percentage of requests the router resource sends to the canary
 * service, or undefined when it names none (or is not a router's).
 */
export function routedCanaryWeight(
  kind: string,
  object: unknown,
  canaryService: string | undefined,
  routes?: string[],
): number | undefined {
  if (!object || typeof object !== 'object' || !canaryService) {
    return undefined;
  }
  const o = object as Json;
  switch (kind) {
    case 'VirtualService':
      return virtualService(o, canaryService, routes);
    case 'Ingress':
      return ingress(o, canaryService);
    case 'TrafficSplit':
      return weightsOf(
        Array.isArray(o.spec?.backends) ? o.spec.backends : [],
        b => b.service === canaryService,
      );
    case 'HTTPRoute': {
      const rules: Json[] = Array.isArray(o.spec?.rules) ? o.spec.rules : [];
      for (const rule of rules) {
        const weight = weightsOf(
          Array.isArray(rule.backendRefs) ? rule.backendRefs : [],
          b => b.name === canaryService,
        );
        if (weight !== undefined) return weight;
      }
      return undefined;
    }
    case 'TraefikService':
      return weightsOf(
        Array.isArray(o.spec?.weighted?.services)
          ? o.spec.weighted.services
          : [],
        s => s.name === canaryService,
      );
    default:
      return undefined;
  }
}
