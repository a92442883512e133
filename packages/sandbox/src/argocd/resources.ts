import { wireTime } from '../clock';
import { podSuffix, uid } from '../ids';
import { addSimulatedDeployment } from './deploymentRollout';
import { SLO_ANALYSIS_METRICS } from '../rollouts/analysis';
import {
  canaryReplicas,
  isFullyPromoted,
  rolloutPhase,
} from '../rollouts/controller';
import type { AnalysisRunState, RolloutState } from '../rollouts/types';
import {
  canaryIngressName,
  experimentHealth,
  experimentManifest,
  trafficRoutingSpec,
  virtualServiceHttp,
  virtualServiceName,
} from './routingResources';
import { scanImage, severityCounts } from '../scanners/vulnerabilities';
import {
  hashOf,
  imageRef,
  type AppState,
  type WorldState,
} from '../world/state';

/** A reference to a resource (swagger v1alpha1ResourceRef). */
export interface ResourceRef {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
}

/** A live resource of an application, with what Argo CD knows about it. */
export interface LiveResource extends ResourceRef {
  /** Managed = rendered from Git (top level); others are owned children. */
  managed: boolean;
  parent?: ResourceRef;
  health?: { status: string; message?: string };
  info?: Array<{ name: string; value: string }>;
  images?: string[];
  createdAt: number;
  resourceVersion: string;
  live: Record<string, unknown>;
  /** The Git-rendered object for managed resources. */
  target?: Record<string, unknown>;
  analysisRun?: AnalysisRunState;
  rollout?: RolloutState;
}

const ROLLOUT_GROUP = 'argoproj.io';

function rv(ms: number) {
  return String(Math.floor(ms / 1000) % 100_000_000);
}

function ref(r: LiveResource): ResourceRef {
  return {
    group: r.group,
    version: r.version,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    uid: r.uid,
  };
}

function apiVersion(group: string, version: string) {
  return group ? `${group}/${version}` : version;
}

/** Argo CD's Rollout health (resource_customizations/argoproj.io/Rollout/health.lua, phase path). */
export function rolloutHealth(r: RolloutState): {
  status: string;
  message?: string;
} {
  const { phase, message } = rolloutPhase(r);
  const status = phase === 'Paused' ? 'Suspended' : phase;
  return message ? { status, message } : { status };
}

/** Argo CD's AnalysisRun health. */
export function analysisRunHealth(run: AnalysisRunState): {
  status: string;
  message?: string;
} {
  const status = {
    Running: 'Progressing',
    Successful: 'Healthy',
    Failed: 'Degraded',
    Error: 'Degraded',
  }[run.phase];
  return run.message ? { status, message: run.message } : { status };
}

function analysisRunManifest(
  world: WorldState,
  r: RolloutState,
  run: AnalysisRunState,
  base: Record<string, unknown>,
) {
  const t = (ms: number) => wireTime(world.clock, ms);
  const metricResults = run.metrics
    .filter(m => m.measurements.length > 0)
    .map(m => {
      const count = (p: string) =>
        m.measurements.filter(x => x.phase === p).length;
      const failed = count('Failed');
      const error = count('Error');
      const done =
        m.measurements.length >= m.count ||
        failed > m.failureLimit ||
        error > 4;
      let phase = done ? 'Successful' : 'Running';
      if (error > 4) phase = 'Error';
      if (failed > m.failureLimit) phase = 'Failed';
      return {
        name: m.name,
        phase,
        ...(phase === 'Failed' ? { message: run.message } : {}),
        count: m.measurements.length,
        successful: count('Successful'),
        failed,
        error,
        inconclusive: 0,
        consecutiveError: 0,
        measurements: m.measurements.map(x => ({
          phase: x.phase,
          ...(x.value !== undefined ? { value: x.value } : {}),
          ...(x.message ? { message: x.message } : {}),
          startedAt: t(x.startedAt),
          finishedAt: t(x.finishedAt),
        })),
      };
    });
  const summary = metricResults.reduce(
    (s, m) => ({
      count: s.count + 1,
      successful: s.successful + (m.phase === 'Successful' ? 1 : 0),
      failed: s.failed + (m.phase === 'Failed' ? 1 : 0),
      error: s.error + (m.phase === 'Error' ? 1 : 0),
      inconclusive: 0,
    }),
    { count: 0, successful: 0, failed: 0, error: 0, inconclusive: 0 },
  );
  return {
    ...base,
    metadata: {
      ...(base.metadata as object),
      labels: {
        'rollout-type': 'Step',
        'step-index': String(run.stepIndex),
        'rollouts-pod-template-hash': run.podHash,
      },
      annotations: { 'rollout.argoproj.io/revision': String(run.revision) },
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          name: r.name,
          uid: r.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      args: [
        { name: 'service-name', value: r.service },
        { name: 'namespace', value: r.namespace },
        { name: 'canary-hash', value: run.podHash },
      ],
      metrics: run.metrics.map(m => {
        const template = SLO_ANALYSIS_METRICS.find(x => x.name === m.name)!;
        return {
          name: m.name,
          interval: template.interval,
          count: m.count,
          failureLimit: m.failureLimit,
          successCondition: m.successCondition,
          provider: {
            prometheus: { address: r.prometheusAddress, query: m.query },
          },
        };
      }),
      ...(run.terminate ? { terminate: true } : {}),
    },
    status: {
      phase: run.phase,
      ...(run.message ? { message: run.message } : {}),
      startedAt: t(run.createdAt),
      ...(run.completedAt !== undefined
        ? { completedAt: t(run.completedAt) }
        : {}),
      runSummary: summary,
      metricResults,
      dryRunSummary: {},
    },
  };
}

function progressingCondition(
  r: RolloutState,
  t: (ms: number) => string,
  paused: boolean,
  promoted: boolean,
) {
  const svc = r.name;
  if (r.abort) {
    return {
      type: 'Progressing',
      status: 'False',
      reason: 'RolloutAborted',
      message: r.abortMessage,
      lastTransitionTime: t(r.abortedAt!),
      lastUpdateTime: t(r.abortedAt!),
    };
  }
  if (paused) {
    const since = r.pauseConditions[0]?.startTime ?? r.updatedAt;
    return {
      type: 'Progressing',
      status: 'Unknown',
      reason: 'RolloutPaused',
      message: 'Rollout is paused',
      lastTransitionTime: t(since),
      lastUpdateTime: t(since),
    };
  }
  return {
    type: 'Progressing',
    status: 'True',
    reason: promoted ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
    message: promoted
      ? `ReplicaSet "${svc}-${r.stableHash}" has successfully progressed.`
      : `ReplicaSet "${svc}-${r.canaryHash}" is progressing.`,
    lastTransitionTime: t(r.stepStartedAt),
    lastUpdateTime: t(r.updatedAt),
  };
}

function rolloutManifest(
  world: WorldState,
  app: AppState,
  r: RolloutState,
  base: Record<string, unknown>,
) {
  const t = (ms: number) => wireTime(world.clock, ms);
  const svc = r.name;
  const { phase, message } = rolloutPhase(r);
  const canary = canaryReplicas(r);
  const promoted = isFullyPromoted(r);
  const steps = r.steps;
  const run = r.analysisRuns
    .filter(a => a.revision === r.revision && a.podHash === r.canaryHash)
    .slice(-1)[0];
  const paused = phase === 'Paused';
  const experiment = r.experiments.find(
    e => e.phase === 'Running' && e.stepIndex === r.currentStepIndex,
  );
  const strategy =
    r.strategy === 'canary'
      ? {
          canary: {
            canaryService: `${svc}-canary`,
            stableService: `${svc}-stable`,
            trafficRouting: trafficRoutingSpec(r),
            steps,
          },
        }
      : {
          blueGreen: {
            activeService: `${svc}-active`,
            previewService: `${svc}-preview`,
            autoPromotionEnabled: false,
            scaleDownDelaySeconds: 30,
          },
        };
  const conditions = [
    {
      type: 'Available',
      status: 'True',
      reason: 'AvailableReason',
      message: 'Rollout has minimum availability',
      lastTransitionTime: t(r.createdAt),
      lastUpdateTime: t(r.createdAt),
    },
    progressingCondition(r, t, paused, promoted),
    {
      type: 'Paused',
      status: paused ? 'True' : 'False',
      reason: paused ? 'RolloutPaused' : 'RolloutResumed',
      message: paused ? 'Rollout is paused' : 'Rollout is resumed',
      lastTransitionTime: t(r.pauseConditions[0]?.startTime ?? r.stepStartedAt),
      lastUpdateTime: t(r.pauseConditions[0]?.startTime ?? r.stepStartedAt),
    },
    {
      type: 'Completed',
      status: promoted ? 'True' : 'False',
      reason: promoted ? 'RolloutCompleted' : 'RolloutCompleted',
      message: 'RolloutCompleted',
      lastTransitionTime: t(r.promotedAt ?? r.stepStartedAt),
      lastUpdateTime: t(r.promotedAt ?? r.stepStartedAt),
    },
  ];
  const status: Record<string, unknown> = {
    HPAReplicas: r.replicas + canary,
    availableReplicas: r.replicas + canary,
    readyReplicas: r.replicas + canary,
    replicas: r.replicas + canary,
    updatedReplicas: promoted ? r.replicas : canary,
    observedGeneration: String(r.generation),
    currentPodHash: r.canaryHash,
    stableRS: r.stableHash,
    selector: `app=${svc}`,
    phase,
    message,
    conditions,
    blueGreen:
      r.strategy === 'blueGreen'
        ? {
            activeSelector: r.stableHash,
            ...(promoted ? {} : { previewSelector: r.canaryHash }),
          }
        : {},
    canary:
      r.strategy === 'canary'
        ? {
            weights: {
              canary: {
                weight: promoted ? 0 : r.canaryWeight,
                serviceName: `${svc}-canary`,
                podTemplateHash: r.canaryHash,
              },
              stable: {
                weight: promoted ? 100 : 100 - r.canaryWeight,
                serviceName: `${svc}-stable`,
                podTemplateHash: r.stableHash,
              },
            },
            ...(run
              ? {
                  currentStepAnalysisRunStatus: {
                    name: run.name,
                    status: run.phase,
                    ...(run.message ? { message: run.message } : {}),
                  },
                }
              : {}),
            ...(experiment ? { currentExperiment: experiment.name } : {}),
          }
        : {},
  };
  if (r.strategy === 'canary') status.currentStepIndex = r.currentStepIndex;
  if (r.pauseConditions.length) {
    status.pauseConditions = r.pauseConditions.map(p => ({
      reason: p.reason,
      startTime: t(p.startTime),
    }));
  }
  if (r.controllerPause) status.controllerPause = true;
  if (r.abort) {
    status.abort = true;
    status.abortedAt = t(r.abortedAt!);
  }
  if (r.promoteFull) status.promoteFull = true;
  const spec: Record<string, unknown> = {
    replicas: r.replicas,
    revisionHistoryLimit: 3,
    selector: { matchLabels: { app: svc } },
    template: {
      metadata: { labels: { app: svc } },
      spec: {
        containers: [
          {
            name: svc,
            image: r.canaryImage,
            ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
          },
        ],
      },
    },
    strategy,
  };
  if (r.specPaused) spec.paused = true;
  if (r.restartAt !== undefined) spec.restartAt = t(r.restartAt);
  const targetImage = imageRef(app.service, app.targetVersion);
  return {
    live: {
      ...base,
      metadata: {
        ...(base.metadata as object),
        generation: r.generation,
        annotations: { 'rollout.argoproj.io/revision': String(r.revision) },
      },
      spec,
      status,
    },
    target: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: {
        name: svc,
        namespace: r.namespace,
        labels: { 'app.kubernetes.io/instance': app.name },
      },
      spec: {
        ...spec,
        replicas: app.service.replicas,
        paused: undefined,
        restartAt: undefined,
        template: {
          metadata: { labels: { app: svc } },
          spec: {
            containers: [
              {
                name: svc,
                image: targetImage,
                ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
              },
            ],
          },
        },
      },
    },
  };
}

/** Every live resource of an application: managed objects and their children. */
export function appResources(world: WorldState, app: AppState): LiveResource[] {
  const out: LiveResource[] = [];
  const ns = app.destNamespace;
  const svc = app.service.name;
  const t = (ms: number) => wireTime(world.clock, ms);
  const created = app.createdAt;
  const add = (
    spec: Omit<
      LiveResource,
      'uid' | 'live' | 'resourceVersion' | 'createdAt' | 'namespace'
    > & {
      namespace?: string;
      createdAt?: number;
      updatedAt?: number;
      body?: Record<string, unknown>;
      target?: Record<string, unknown>;
    },
  ): LiveResource => {
    const namespace = spec.namespace ?? ns;
    const id = uid(
      `${app.instance}/${app.name}/${spec.kind}/${namespace}/${spec.name}`,
    );
    const createdAt = spec.createdAt ?? created;
    const resourceVersion = rv(spec.updatedAt ?? createdAt);
    const metadata = {
      name: spec.name,
      namespace,
      uid: id,
      resourceVersion,
      creationTimestamp: t(createdAt),
      ...(spec.managed
        ? { labels: { 'app.kubernetes.io/instance': app.name } }
        : {}),
    };
    const live = {
      apiVersion: apiVersion(spec.group, spec.version),
      kind: spec.kind,
      ...(spec.body ?? {}),
      metadata: { ...metadata, ...((spec.body?.metadata as object) ?? {}) },
    };
    const r: LiveResource = {
      ...spec,
      namespace,
      uid: id,
      createdAt,
      resourceVersion,
      live,
    };
    delete (r as { body?: unknown }).body;
    delete (r as { updatedAt?: unknown }).updatedAt;
    out.push(r);
    return r;
  };
  const serviceBody = (selector: Record<string, string>) => ({
    spec: {
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      selector,
    },
    status: { loadBalancer: {} },
  });
  const serviceTarget = (name: string, selector: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: ns,
      labels: { 'app.kubernetes.io/instance': app.name },
    },
    ...serviceBody(selector),
  });
  const replicaSet = (
    owner: LiveResource,
    hash: string,
    image: string,
    replicas: number,
    revision: number,
    crashing: boolean,
  ) => {
    const name = `${svc}-${hash}`;
    const rs = add({
      group: 'apps',
      version: 'v1',
      kind: 'ReplicaSet',
      name,
      managed: false,
      parent: ref(owner),
      info: [{ name: 'Revision', value: `Rev:${revision}` }],
      health: crashing
        ? {
            status: 'Progressing',
            message: `Waiting for rollout to finish: 0 of ${replicas} updated replicas are available...`,
          }
        : { status: 'Healthy' },
      body: {
        metadata: {
          labels: {
            app: svc,
            [owner.kind === 'Rollout'
              ? 'rollouts-pod-template-hash'
              : 'pod-template-hash']: hash,
          },
          annotations: {
            [owner.kind === 'Rollout'
              ? 'rollout.argoproj.io/revision'
              : 'deployment.kubernetes.io/revision']: String(revision),
          },
          ownerReferences: [
            {
              apiVersion: apiVersion(owner.group, owner.version),
              kind: owner.kind,
              name: owner.name,
              uid: owner.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas,
          selector: { matchLabels: { app: svc } },
          template: { spec: { containers: [{ name: svc, image }] } },
        },
        status: {
          replicas,
          readyReplicas: crashing ? 0 : replicas,
          availableReplicas: crashing ? 0 : replicas,
          observedGeneration: 1,
        },
      },
    });
    const restartSeed = owner.rollout?.restartAt ?? 0;
    for (let i = 0; i < replicas; i++) {
      const podName = `${name}-${podSuffix(`${name}:${i}:${restartSeed}`)}`;
      add({
        version: 'v1',
        group: '',
        kind: 'Pod',
        name: podName,
        managed: false,
        parent: ref(rs),
        createdAt: Math.max(created, restartSeed),
        images: [image],
        info: [
          {
            name: 'Status Reason',
            value: crashing ? 'CrashLoopBackOff' : 'Running',
          },
          { name: 'Node', value: `node-${(i % 3) + 1}` },
          { name: 'Containers', value: crashing ? '0/1' : '1/1' },
          { name: 'Restart Count', value: crashing ? '7' : '0' },
        ],
        health: crashing
          ? {
              status: 'Degraded',
              message: `back-off 5m0s restarting failed container=${svc} pod=${podName}`,
            }
          : { status: 'Healthy' },
        body: {
          metadata: {
            labels: { app: svc, 'rollouts-pod-template-hash': hash },
          },
          spec: {
            nodeName: `node-${(i % 3) + 1}`,
            containers: [{ name: svc, image }],
          },
          status: {
            phase: 'Running',
            containerStatuses: [
              {
                name: svc,
                image,
                imageID: `${image.split(':')[0]}@${
                  scanImage(world, app.service, image.split(':').pop()!).digest
                }`,
                ready: !crashing,
                restartCount: crashing ? 7 : 0,
                state: crashing
                  ? { waiting: { reason: 'CrashLoopBackOff' } }
                  : { running: {} },
              },
            ],
          },
        },
      });
    }
    const scanned = scanImage(world, app.service, image.split(':').pop()!);
    add({
      group: 'aquasecurity.github.io',
      version: 'v1alpha1',
      kind: 'VulnerabilityReport',
      name: `replicaset-${name}-${svc}`,
      managed: false,
      parent: ref(rs),
      body: {
        metadata: {
          labels: {
            'trivy-operator.container.name': svc,
            'trivy-operator.resource.kind': 'ReplicaSet',
            'trivy-operator.resource.name': name,
            'trivy-operator.resource.namespace': ns,
          },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name,
              uid: rs.uid,
              controller: true,
              blockOwnerDeletion: false,
            },
          ],
        },
        report: {
          updateTimestamp: t(created),
          scanner: {
            name: 'Trivy',
            vendor: 'Aqua Security',
            version: '0.74.0',
          },
          registry: { server: scanned.repository.split('/')[0] },
          artifact: {
            repository: scanned.repository.split('/').slice(1).join('/'),
            tag: scanned.tag,
            digest: scanned.digest,
          },
          os: { family: 'debian', name: '12.5' },
          summary: severityCounts(scanned.vulnerabilities),
          vulnerabilities: scanned.vulnerabilities.map(v => ({
            vulnerabilityID: v.id,
            resource: v.pkg,
            installedVersion: v.installed,
            fixedVersion: v.fixed,
            severity: v.severity,
            title: v.title,
            primaryLink: `https://avd.aquasec.com/nvd/${v.id.toLowerCase()}`,
            links: [],
            score: v.score,
            target: `${scanned.repository}:${scanned.tag}`,
          })),
        },
      },
    });
  };

  const r = app.rollout;
  if (r) {
    const services =
      r.strategy === 'canary' ? ['stable', 'canary'] : ['active', 'preview'];
    for (const role of services) {
      const name = `${svc}-${role}`;
      add({
        group: '',
        version: 'v1',
        kind: 'Service',
        name,
        managed: true,
        health: { status: 'Healthy' },
        body: serviceBody({ app: svc }),
        target: serviceTarget(name, { app: svc }),
      });
    }
    if (r.strategy === 'canary' && r.trafficRouting === 'istio') {
      const vsBody = (live: boolean) => ({
        spec: {
          hosts: [`${svc}.shop.example`],
          gateways: ['storefront-gateway'],
          http: virtualServiceHttp(r, live),
        },
      });
      add({
        group: 'networking.istio.io',
        version: 'v1beta1',
        kind: 'VirtualService',
        name: virtualServiceName(r),
        managed: true,
        updatedAt: r.updatedAt,
        body: vsBody(true),
        target: {
          apiVersion: 'networking.istio.io/v1beta1',
          kind: 'VirtualService',
          metadata: {
            name: virtualServiceName(r),
            namespace: ns,
            labels: { 'app.kubernetes.io/instance': app.name },
          },
          ...vsBody(false),
        },
      });
    }
    if (r.strategy === 'canary' && r.trafficRouting === 'nginx') {
      // live and desired Ingress share one spec: no drift
      const ingressSpec = {
        ingressClassName: 'nginx',
        rules: [
          {
            host: `${svc}.shop.example`,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: {
                    service: { name: `${svc}-stable`, port: { name: 'http' } },
                  },
                },
              ],
            },
          },
        ],
      };
      add({
        group: 'networking.k8s.io',
        version: 'v1',
        kind: 'Ingress',
        name: svc,
        managed: true,
        health: { status: 'Healthy' },
        body: {
          spec: ingressSpec,
          status: { loadBalancer: { ingress: [{ ip: '10.0.0.10' }] } },
        },
        target: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: {
            name: svc,
            namespace: ns,
            labels: { 'app.kubernetes.io/instance': app.name },
          },
          spec: ingressSpec,
        },
      });
    }
    if (r.strategy === 'canary') {
      const templateSpec = {
        args: [
          { name: 'service-name' },
          { name: 'namespace' },
          { name: 'canary-hash' },
        ],
        metrics: SLO_ANALYSIS_METRICS.map(m => ({
          name: m.name,
          interval: m.interval,
          count: m.count,
          failureLimit: m.failureLimit,
          successCondition: m.successCondition,
          provider: {
            prometheus: { address: r.prometheusAddress, query: m.query },
          },
        })),
      };
      add({
        group: ROLLOUT_GROUP,
        version: 'v1alpha1',
        kind: 'AnalysisTemplate',
        name: `${svc}-slo`,
        managed: true,
        body: { spec: templateSpec },
        target: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisTemplate',
          metadata: {
            name: `${svc}-slo`,
            namespace: ns,
            labels: { 'app.kubernetes.io/instance': app.name },
          },
          spec: templateSpec,
        },
      });
    }
    const rolloutBase = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: {
        name: r.name,
        namespace: r.namespace,
        uid: r.uid,
        resourceVersion: rv(r.updatedAt),
        creationTimestamp: t(r.createdAt),
        labels: { 'app.kubernetes.io/instance': app.name },
      },
    };
    const manifests = rolloutManifest(world, app, r, rolloutBase);
    const rollout: LiveResource = {
      group: ROLLOUT_GROUP,
      version: 'v1alpha1',
      kind: 'Rollout',
      namespace: r.namespace,
      name: r.name,
      uid: r.uid,
      managed: true,
      health: rolloutHealth(r),
      info: [{ name: 'Revision', value: `Rev:${r.revision}` }],
      createdAt: r.createdAt,
      resourceVersion: rv(r.updatedAt),
      live: manifests.live,
      target: manifests.target,
      rollout: r,
    };
    out.push(rollout);
    replicaSet(
      rollout,
      r.stableHash,
      r.stableImage,
      r.replicas,
      r.revisions[r.stableHash] ?? r.revision,
      false,
    );
    if (!isFullyPromoted(r)) {
      replicaSet(
        rollout,
        r.canaryHash,
        r.canaryImage,
        canaryReplicas(r),
        r.revision,
        false,
      );
    }
    if (r.strategy === 'canary' && r.trafficRouting === 'nginx') {
      // the canary Ingress the NGINX router creates, owned by the Rollout
      const weight = isFullyPromoted(r) ? 0 : r.canaryWeight;
      add({
        group: 'networking.k8s.io',
        version: 'v1',
        kind: 'Ingress',
        name: canaryIngressName(r),
        managed: false,
        parent: ref(rollout),
        health: { status: 'Healthy' },
        updatedAt: r.updatedAt,
        body: {
          metadata: {
            annotations: {
              'nginx.ingress.kubernetes.io/canary': 'true',
              'nginx.ingress.kubernetes.io/canary-weight': String(weight),
            },
          },
          spec: {
            ingressClassName: 'nginx',
            rules: [
              {
                host: `${svc}.shop.example`,
                http: {
                  paths: [
                    {
                      path: '/',
                      pathType: 'Prefix',
                      backend: {
                        service: {
                          name: `${svc}-canary`,
                          port: { name: 'http' },
                        },
                      },
                    },
                  ],
                },
              },
            ],
          },
          status: { loadBalancer: { ingress: [{ ip: '10.0.0.10' }] } },
        },
      });
    }
    for (const e of r.experiments) {
      if (e.revision !== r.revision || e.podHash !== r.canaryHash) continue;
      add({
        group: ROLLOUT_GROUP,
        version: 'v1alpha1',
        kind: 'Experiment',
        name: e.name,
        managed: false,
        parent: ref(rollout),
        health: experimentHealth(e),
        createdAt: e.createdAt,
        updatedAt: e.completedAt ?? e.createdAt,
        body: experimentManifest(
          r,
          e,
          t,
          { stable: r.stableImage, canary: r.canaryImage },
          {},
        ),
      });
    }
    for (const run of r.analysisRuns) {
      // every status update (a measurement) is a new resourceVersion, as in
      // Kubernetes, so a watcher sees the run change before it completes
      const changedAt =
        run.completedAt ??
        Math.max(
          run.createdAt,
          ...run.metrics.flatMap(m => m.measurements.map(x => x.finishedAt)),
        );
      const base = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AnalysisRun',
        metadata: {
          name: run.name,
          namespace: r.namespace,
          uid: run.uid,
          resourceVersion: rv(changedAt),
          creationTimestamp: t(run.createdAt),
        },
      };
      const rolloutRef = ref(rollout);
      out.push({
        group: ROLLOUT_GROUP,
        version: 'v1alpha1',
        kind: 'AnalysisRun',
        namespace: r.namespace,
        name: run.name,
        uid: run.uid,
        managed: false,
        parent: rolloutRef,
        health: analysisRunHealth(run),
        createdAt: run.createdAt,
        resourceVersion: rv(changedAt),
        live: analysisRunManifest(world, r, run, base),
        analysisRun: run,
      });
    }
    return out;
  }

  // dev / staging: a plain Deployment
  const behaviour = app.behaviour;
  const degraded = behaviour.health === 'Degraded';
  const image = imageRef(app.service, app.liveVersion);
  const hash = hashOf(app.service, app.liveVersion);
  add({
    group: '',
    version: 'v1',
    kind: 'Service',
    name: svc,
    managed: true,
    health: { status: 'Healthy' },
    body: serviceBody({ app: svc }),
    target: serviceTarget(svc, { app: svc }),
  });
  const deploymentSpec = {
    replicas: app.service.replicas,
    selector: { matchLabels: { app: svc } },
    template: {
      metadata: { labels: { app: svc } },
      spec: { containers: [{ name: svc, image }] },
    },
  };
  const revision = app.service.versions.indexOf(app.liveVersion) + 1;
  if (behaviour.deployment) {
    // a rolling update or Recreate under way (argocd/deploymentRollout.ts)
    const previous = app.service.versions[Math.max(0, revision - 2)];
    addSimulatedDeployment({
      add,
      service: svc,
      namespace: ns,
      appName: app.name,
      desired: app.liveReplicas,
      oldImage: imageRef(app.service, previous),
      oldHash: hashOf(app.service, previous),
      newImage: image,
      newHash: hash,
      targetImage: imageRef(app.service, app.targetVersion),
      revision,
      startedAt: app.deploymentStartedAt ?? world.startedAt,
      now: world.clock.now(),
      time: t,
      behaviour: behaviour.deployment,
    });
    return out;
  }
  const deployment = add({
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    name: svc,
    managed: true,
    health: behaviour.health
      ? {
          status: behaviour.health,
          message:
            behaviour.message ??
            `Deployment "${svc}" exceeded its progress deadline`,
        }
      : { status: 'Healthy' },
    body: {
      metadata: {
        generation: revision,
        annotations: { 'deployment.kubernetes.io/revision': String(revision) },
      },
      spec: { ...deploymentSpec, replicas: app.liveReplicas },
      status: {
        observedGeneration: revision,
        replicas: app.liveReplicas,
        updatedReplicas: app.liveReplicas,
        readyReplicas: degraded ? 0 : app.liveReplicas,
        availableReplicas: degraded ? 0 : app.liveReplicas,
        conditions: degraded
          ? [
              {
                type: 'Progressing',
                status: 'False',
                reason: 'ProgressDeadlineExceeded',
                message: `ReplicaSet "${svc}-${hash}" has timed out progressing.`,
              },
            ]
          : [
              {
                type: 'Available',
                status: 'True',
                reason: 'MinimumReplicasAvailable',
                message: 'Deployment has minimum availability.',
              },
            ],
      },
    },
    target: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: svc,
        namespace: ns,
        labels: { 'app.kubernetes.io/instance': app.name },
      },
      spec: {
        ...deploymentSpec,
        template: {
          ...deploymentSpec.template,
          spec: {
            containers: [
              { name: svc, image: imageRef(app.service, app.targetVersion) },
            ],
          },
        },
      },
    },
  });
  replicaSet(deployment, hash, image, app.liveReplicas, revision, degraded);
  return out;
}
