import type { Clock } from '../clock';
import { podTemplateHash, uid } from '../ids';
import { defaultCanarySteps } from '../rollouts/analysis';
import {
  completeRollout,
  reconcileRollout,
  type Measure,
} from '../rollouts/controller';
import type { RolloutState } from '../rollouts/types';
import {
  loadServiceScenario,
  loadVulnerabilityProfiles,
  loadWorld,
  resolveWorldScenario,
  ScenarioError,
} from './load';
import type {
  EnvironmentBehaviour,
  ServiceScenario,
  VulnerabilitySpec,
  WorldService,
} from './types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One entry of an Application's deployment history. */
export interface HistoryRecord {
  id: number;
  version: string;
  deployStartedAt: number;
  deployedAt: number;
  initiatedBy: { username?: string; automated?: boolean };
}

/** A sync or rollback operation of an Application. */
export interface OperationRecord {
  kind: 'sync' | 'rollback';
  phase: 'Running' | 'Succeeded' | 'Failed';
  startedAt: number;
  finishedAt?: number;
  message: string;
  version: string;
  username: string;
  dryRun: boolean;
  prune: boolean;
  /** A sync of only these resources (swagger `v1alpha1SyncOperationResource`). */
  resources?: Array<{
    group?: string;
    kind: string;
    namespace?: string;
    name: string;
  }>;
}

/** A simulated Argo CD Application. */
export interface AppState {
  instance: string;
  name: string;
  namespace: string;
  project: string;
  labels: Record<string, string>;
  uid: string;
  createdAt: number;
  service: WorldService;
  env: string;
  destNamespace: string;
  destServer: string;
  /** Version in Git (the target). */
  targetVersion: string;
  /** Version running (differs from the target after a rollback). */
  liveVersion: string;
  rollout?: RolloutState;
  autoSync: boolean;
  behaviour: EnvironmentBehaviour;
  history: HistoryRecord[];
  operation?: OperationRecord;
  /** When a refresh (`GET ...?refresh=`) last asked for a reconciliation. */
  refreshedAt?: number;
  /** Live replicas; differs from the service's under drift. */
  liveReplicas: number;
  /** When a plain Deployment's rollout began (scenario start, then each sync). */
  deploymentStartedAt?: number;
}

/** Full image reference: `<repo>:<tag>` (digests live in the Trivy store). */
export function imageRef(service: WorldService, version: string): string {
  return `${service.image}:${version}`;
}

/** The pod template hash of a service version. */
export function hashOf(service: WorldService, version: string): string {
  return podTemplateHash(`${service.name}:${version}`);
}

/** How long a simulated sync takes. */
export const SYNC_DURATION_MS = 5_000;

/** The mutable simulated world: applications, rollouts and behaviour. */
export class WorldState {
  readonly services: WorldService[];
  readonly vulnerabilityProfiles: Record<string, VulnerabilitySpec[]>;
  apps: AppState[] = [];
  scenarios: Record<string, ServiceScenario> = {};
  worldScenario = '';
  readonly startedAt: number;

  constructor(
    readonly clock: Clock,
    readonly prometheusAddress: string,
    private readonly measure: () => Measure,
  ) {
    this.services = loadWorld().services;
    this.vulnerabilityProfiles = loadVulnerabilityProfiles();
    this.startedAt = clock.now();
  }

  /** Selects a whole-world scenario (a world file or a service scenario name). */
  selectWorld(name: string) {
    const world = resolveWorldScenario(name);
    for (const [service, scenario] of Object.entries(world.services)) {
      if (!this.services.some(s => s.name === service)) {
        throw new ScenarioError(
          `World scenario ${name} names unknown service ${service}`,
        );
      }
      loadServiceScenario(scenario);
    }
    this.worldScenario = world.name;
    for (const service of this.services) {
      this.selectService(
        service.name,
        world.services[service.name] ?? service.scenario,
      );
    }
  }

  /** Puts one service into a service scenario, restarting its release. */
  selectService(serviceName: string, scenarioName: string) {
    const service = this.services.find(s => s.name === serviceName);
    if (!service) {
      throw new ScenarioError(
        `Unknown service "${serviceName}"; known: ${this.services
          .map(s => s.name)
          .join(', ')}`,
      );
    }
    const scenario = loadServiceScenario(scenarioName);
    this.scenarios[service.name] = scenario;
    this.apps = this.apps.filter(a => a.service.name !== service.name);
    const now = this.clock.now();
    const n = service.versions.length;
    const latest = service.versions[n - 1];
    const previous = service.versions[Math.max(0, n - 2)];
    const strategy = scenario.strategy ?? service.strategy;
    const canary = {
      trafficRouting:
        scenario.canary?.trafficRouting ?? service.trafficRouting ?? 'nginx',
      steps:
        scenario.canary?.steps ??
        service.steps ??
        defaultCanarySteps(service.name),
    };
    service.environments.forEach((env, envIndex) => {
      const behaviour = scenario.environments?.[env.name] ?? {};
      const app: AppState = {
        instance: env.instance,
        name: env.appName ?? `${service.name}-${env.name}`,
        namespace: 'argocd',
        project: service.project,
        labels: {
          ...(service.labelled ? { app: service.name } : {}),
          environment: env.name,
          'app.kubernetes.io/part-of': 'storefront',
        },
        uid: uid(`app:${env.instance}/${service.name}-${env.name}`),
        createdAt: this.startedAt - 90 * DAY,
        service,
        env: env.name,
        destNamespace: env.rollout
          ? service.namespace
          : `${service.namespace}-${env.name}`,
        destServer: env.rollout
          ? 'https://prod.k8s.sandbox.internal'
          : 'https://kubernetes.default.svc',
        targetVersion: latest,
        liveVersion: latest,
        autoSync: !env.rollout,
        behaviour,
        history: [],
        liveReplicas: service.replicas + (behaviour.drift ? 2 : 0),
        deploymentStartedAt: now,
      };
      // Older releases reached this environment days ago; the newest one
      // reached earlier environments first (dev 4 h ago, staging 2 h ago).
      const envCount = service.environments.length;
      app.history = service.versions.map((version, i) => {
        const deployedAt =
          i === n - 1
            ? now - (envCount - 1 - envIndex) * 2 * HOUR - 60_000
            : now - (n - 1 - i) * 3 * DAY - envIndex * HOUR;
        return {
          id: i,
          version,
          deployStartedAt: deployedAt - 20_000,
          deployedAt,
          initiatedBy: app.autoSync
            ? { automated: true }
            : { username: 'release-bot' },
        };
      });
      if (env.rollout) {
        const stable = scenario.rollout === 'steady' ? latest : previous;
        app.rollout = this.newRollout(
          service,
          strategy,
          stable,
          latest,
          now,
          canary,
        );
        app.rollout.replicas = app.liveReplicas;
      }
      this.apps.push(app);
    });
  }

  private newRollout(
    service: WorldService,
    strategy: 'canary' | 'blueGreen',
    stableVersion: string,
    canaryVersion: string,
    now: number,
    canary: Pick<RolloutState, 'trafficRouting' | 'steps'>,
  ): RolloutState {
    const stableHash = hashOf(service, stableVersion);
    const canaryHash = hashOf(service, canaryVersion);
    const revision = service.versions.indexOf(canaryVersion) + 1;
    const r: RolloutState = {
      service: service.name,
      name: service.name,
      namespace: service.namespace,
      uid: uid(`rollout:${service.namespace}/${service.name}`),
      strategy,
      steps: strategy === 'canary' ? canary.steps : [],
      trafficRouting: canary.trafficRouting,
      experiments: [],
      replicas: service.replicas,
      targetReplicas: service.replicas,
      revision,
      createdAt: this.startedAt - 90 * DAY,
      generation: revision * 3,
      stableHash,
      stableImage: imageRef(service, stableVersion),
      canaryHash,
      canaryImage: imageRef(service, canaryVersion),
      revisions: { [stableHash]: revision - 1, [canaryHash]: revision },
      currentStepIndex: 0,
      stepStartedAt: now,
      pauseConditions: [],
      controllerPause: false,
      specPaused: false,
      abort: false,
      promoteFull: false,
      canaryWeight: 0,
      analysisRuns: [],
      traffic: [],
      updatedAt: now,
      prometheusAddress: this.prometheusAddress,
    };
    r.traffic.push({
      at: now - 30 * DAY,
      canaryHash: stableHash,
      stableHash,
      canaryWeight: 0,
      aborted: false,
      preview: false,
    });
    r.traffic.push({
      at: now,
      canaryHash,
      stableHash,
      canaryWeight: 0,
      aborted: false,
      preview: strategy === 'blueGreen',
    });
    if (stableHash === canaryHash) {
      r.promotedAt = now;
      r.currentStepIndex = r.steps.length;
    }
    return r;
  }

  /**
   * Starts rolling the production Rollout to a version (after a sync or a
   * rollback changed the live pod template).
   */
  rollTo(app: AppState, version: string, at: number) {
    const r = app.rollout;
    if (!r) return;
    const hash = hashOf(app.service, version);
    if (hash === r.canaryHash) return;
    r.revision = Math.max(...Object.values(r.revisions)) + 1;
    r.revisions[hash] = r.revision;
    r.canaryHash = hash;
    r.canaryImage = imageRef(app.service, version);
    r.abort = false;
    r.abortedAt = undefined;
    r.abortMessage = undefined;
    r.promoteFull = false;
    r.pauseConditions = [];
    r.controllerPause = false;
    r.currentStepIndex = 0;
    r.stepStartedAt = at;
    r.generation++;
    r.updatedAt = at;
    if (hash === r.stableHash) {
      // rolling back to the stable ReplicaSet skips the steps
      completeRollout(r, at);
    } else {
      r.traffic.push({
        at,
        canaryHash: hash,
        stableHash: r.stableHash,
        canaryWeight: 0,
        aborted: false,
        preview: r.strategy === 'blueGreen',
      });
    }
  }

  /** Advances every operation and Rollout to the simulated present. */
  tick() {
    const now = this.clock.now();
    for (const app of this.apps) {
      const op = app.operation;
      if (
        op &&
        op.phase === 'Running' &&
        now >= op.startedAt + SYNC_DURATION_MS
      ) {
        const finishedAt = op.startedAt + SYNC_DURATION_MS;
        op.phase = 'Succeeded';
        op.finishedAt = finishedAt;
        op.message = 'successfully synced (all tasks run)';
        if (!op.dryRun) {
          app.liveVersion = op.version;
          app.liveReplicas = app.service.replicas;
          if (app.rollout) app.rollout.replicas = app.service.replicas;
          app.behaviour = { ...app.behaviour, drift: false };
          app.history.push({
            id: Math.max(...app.history.map(h => h.id)) + 1,
            version: op.version,
            deployStartedAt: op.startedAt,
            deployedAt: finishedAt,
            initiatedBy: { username: op.username },
          });
          app.deploymentStartedAt = op.startedAt;
          this.rollTo(app, op.version, finishedAt);
        }
      }
      if (app.rollout) reconcileRollout(app.rollout, now, this.measure());
    }
  }

  /** The Rollout of a service's production, if any. */
  rollouts(): RolloutState[] {
    return this.apps.flatMap(a => (a.rollout ? [a.rollout] : []));
  }
}
