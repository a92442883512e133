/*
 * What the simulated Argo Rollouts controller writes beyond the Rollout for
 * traffic routing and experiments, in the shapes of argo-rollouts v1.9:
 * the Istio VirtualService's weighted and mirror routes
 * (rollout/trafficrouting/istio), the NGINX canary Ingress
 * (rollout/trafficrouting/nginx) and Experiments
 * (test data: pkg/kubectl-argo-rollouts/info/testdata/experiment-step).
 */
import { isFullyPromoted } from '../rollouts/controller';
import type { ExperimentState, RolloutState } from '../rollouts/types';

/** The Rollout's `spec.strategy.canary.trafficRouting`. */
export function trafficRoutingSpec(r: RolloutState): Record<string, unknown> {
  if (r.trafficRouting === 'nginx') {
    return { nginx: { stableIngress: r.name } };
  }
  const managed = [
    ...new Set(
      r.steps.flatMap(s =>
        'setMirrorRoute' in s ? [s.setMirrorRoute.name] : [],
      ),
    ),
  ];
  return {
    ...(managed.length
      ? { managedRoutes: managed.map(name => ({ name })) }
      : {}),
    istio: {
      virtualService: { name: virtualServiceName(r), routes: ['primary'] },
    },
  };
}

/** The VirtualService an Istio-routed canary's weights are written to. */
export function virtualServiceName(r: RolloutState): string {
  return `${r.name}-vsvc`;
}

/** The canary Ingress the NGINX router creates beside the stable one. */
export function canaryIngressName(r: RolloutState): string {
  return `${r.name}-${r.name}-canary`;
}

/**
 * The mirror routes in effect: those set by a setMirrorRoute the controller
 * has passed and not removed since; none once the update is done or aborted.
 */
export function activeMirrors(
  r: RolloutState,
): Array<{ name: string; percentage: number; match: unknown[] }> {
  if (r.abort || isFullyPromoted(r)) return [];
  const active = new Map<
    string,
    { name: string; percentage: number; match: unknown[] }
  >();
  r.steps.slice(0, r.currentStepIndex).forEach(step => {
    if (!('setMirrorRoute' in step)) return;
    const { name, percentage, match } = step.setMirrorRoute;
    if (match?.length) {
      active.set(name, { name, percentage: percentage ?? 100, match });
    } else active.delete(name);
  });
  return [...active.values()];
}

/** The VirtualService's http routes: mirror routes first, then the weighted primary. */
export function virtualServiceHttp(
  r: RolloutState,
  live: boolean,
): Array<Record<string, unknown>> {
  const stable = `${r.name}-stable`;
  const canary = `${r.name}-canary`;
  const weight = live && !isFullyPromoted(r) ? r.canaryWeight : 0;
  const mirrors = live
    ? activeMirrors(r).map(m => ({
        name: m.name,
        match: m.match,
        route: [{ destination: { host: stable }, weight: 100 }],
        mirror: { host: canary },
        mirrorPercentage: { value: m.percentage },
      }))
    : [];
  return [
    ...mirrors,
    {
      name: 'primary',
      route: [
        { destination: { host: stable }, weight: 100 - weight },
        { destination: { host: canary }, weight },
      ],
    },
  ];
}

/** Argo CD's Experiment health (resource_customizations/argoproj.io/Experiment/health.lua). */
export function experimentHealth(e: ExperimentState): {
  status: string;
  message?: string;
} {
  return e.phase === 'Running'
    ? { status: 'Progressing' }
    : { status: 'Healthy' };
}

/** The live Experiment object, as the controller writes it. */
export function experimentManifest(
  r: RolloutState,
  e: ExperimentState,
  t: (ms: number) => string,
  images: { stable: string; canary: string },
  base: Record<string, unknown>,
): Record<string, unknown> {
  const running = e.phase === 'Running';
  return {
    ...base,
    metadata: {
      ...(base.metadata as object),
      annotations: { 'rollout.argoproj.io/revision': String(e.revision) },
      labels: {
        'rollouts-pod-template-hash': e.podHash,
        rollout: r.name,
        'rollout-namespace': r.namespace,
      },
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          blockOwnerDeletion: true,
          controller: true,
          kind: 'Rollout',
          name: r.name,
          uid: r.uid,
        },
      ],
    },
    spec: {
      duration: `${Math.round(e.durationMs / 1000)}s`,
      templates: e.templates.map(tpl => ({
        name: tpl.name,
        replicas: tpl.replicas,
        selector: { matchLabels: { app: `${r.name}-${tpl.name}` } },
        template: {
          metadata: {
            labels: {
              app: `${r.name}-${tpl.name}`,
              'rollouts-pod-template-hash': e.podHash,
            },
          },
          spec: {
            containers: [
              {
                name: r.name,
                image: images[tpl.specRef],
                ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
              },
            ],
          },
        },
      })),
    },
    status: {
      phase: e.phase,
      availableAt: t(e.createdAt + 5_000),
      conditions: [
        {
          type: 'Progressing',
          status: running ? 'True' : 'False',
          reason: running ? 'NewReplicaSetAvailable' : 'ExperimentCompleted',
          message: running
            ? `Experiment "${e.name}" is running.`
            : `Experiment "${e.name}" is completed.`,
          lastTransitionTime: t(e.completedAt ?? e.createdAt),
          lastUpdateTime: t(e.completedAt ?? e.createdAt),
        },
      ],
      templateStatuses: e.templates.map(tpl => ({
        name: tpl.name,
        replicas: running ? tpl.replicas : 0,
        updatedReplicas: running ? tpl.replicas : 0,
        readyReplicas: running ? tpl.replicas : 0,
        availableReplicas: running ? tpl.replicas : 0,
        status: running ? 'Running' : 'Successful',
        lastTransitionTime: t(e.completedAt ?? e.createdAt + 5_000),
      })),
    },
  };
}
