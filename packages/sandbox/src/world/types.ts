/*
 * The scenario data model: the demo world (services and where they are
 * deployed) plus per-service scenarios (how each service behaves). All of it
 * is plain JSON under packages/sandbox/scenarios.
 */

/** One step of a canary strategy, as in the Rollout spec. */
export type CanaryStep =
  | { setWeight: number }
  | { pause: { duration?: string | number } }
  | {
      analysis: {
        templates: Array<{ templateName: string }>;
        args?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
      };
    }
  | {
      setCanaryScale: {
        weight?: number;
        replicas?: number;
        matchTrafficWeight?: boolean;
      };
    }
  /** Shadow traffic; without `match` the step removes the route. */
  | { setMirrorRoute: { name: string; percentage?: number; match?: unknown[] } }
  | {
      experiment: {
        duration: string;
        templates: Array<{
          name: string;
          specRef: 'stable' | 'canary';
          replicas?: number;
        }>;
      };
    };

/** The traffic router of a canary: NGINX Ingress or Istio. */
export type TrafficRouter = 'nginx' | 'istio';

/** Where one environment of a service is deployed. */
export interface WorldEnvironment {
  /** dev, staging or production. */
  name: string;
  /** Argo CD instance (`main` or `nonprod`). */
  instance: string;
  /** Application name; defaults to `<service>-<env>`. */
  appName?: string;
  /** True when the workload is an Argo Rollout (production). */
  rollout?: boolean;
}

/** A service of the demo world. */
export interface WorldService {
  name: string;
  /** Kubernetes namespace of production; other envs use `<ns>-<env>`. */
  namespace: string;
  project: string;
  /** GitHub owner/repo (source code and manifests, a monorepo). */
  repository: string;
  /** Container image repository. */
  image: string;
  /** Released versions, oldest first; the last is the newest release. */
  versions: string[];
  replicas: number;
  strategy: 'canary' | 'blueGreen';
  steps?: CanaryStep[];
  /** The canary's traffic router (default nginx). */
  trafficRouting?: TrafficRouter;
  /** Adds a second (values) source: a multi-source application. */
  multiSource?: boolean;
  /** Whether the Application is labelled app=<name> (selector discovery). */
  labelled?: boolean;
  environments: WorldEnvironment[];
  /** The service scenario it starts in. */
  scenario: string;
}

/** The whole demo world. */
export interface World {
  services: WorldService[];
}

/** SLO behaviour of one pod template (stable or canary). */
export interface MetricProfile {
  /** Requests per second of the whole service at 100% traffic. */
  rps: number;
  /** Fraction of 5xx responses. */
  errorRatio: number;
  /** 99th percentile latency, seconds. */
  p99: number;
  /** Changes from a canary weight on (e.g. errors rise at 25%). */
  fromWeight?: Array<{ weight: number; errorRatio?: number; p99?: number }>;
}

/** Per-environment behaviour overrides. */
export interface EnvironmentBehaviour {
  health?: 'Degraded' | 'Progressing' | 'Missing';
  message?: string;
  /** A manual change in the cluster: the app is OutOfSync. */
  drift?: boolean;
  /** A plain Deployment's rollout over time (argocd/deploymentRollout.ts). */
  deployment?: DeploymentBehaviour;
}

/**
 * How a plain Deployment (dev, staging) rolls from the previous release to
 * the current one, from the scenario's start (and again after each sync).
 */
export interface DeploymentBehaviour {
  /** Kubernetes' strategy (default RollingUpdate, 25% surge/unavailable). */
  strategy?: 'RollingUpdate' | 'Recreate';
  /** progress (default): it completes; stuck: the new Pods never get ready. */
  rollout?: 'progress' | 'stuck';
  /** Simulated seconds per controller step (default 20). */
  stepSeconds?: number;
  /** spec.progressDeadlineSeconds (default 120). */
  progressDeadlineSeconds?: number;
}

/** A service scenario: how one service behaves. */
export interface ServiceScenario {
  name: string;
  description: string;
  /** The service a whole-world selection of this scenario applies to. */
  service: string;
  /** progressing: a release is rolling out in production; steady: none is. */
  rollout: 'progressing' | 'steady';
  strategy?: 'canary' | 'blueGreen';
  /** The canary's router and steps in this scenario, over the service's. */
  canary?: { trafficRouting?: TrafficRouter; steps?: CanaryStep[] };
  metrics: { stable: MetricProfile; canary: MetricProfile };
  /** Vulnerability profile names (scenarios/vulnerabilities.json). */
  vulnerabilities: { stable: string; canary: string };
  environments?: Record<string, EnvironmentBehaviour>;
}

/** A whole-world scenario: a service scenario per service. */
export interface WorldScenario {
  name: string;
  description: string;
  services: Record<string, string>;
}

/** One finding of a vulnerability profile. */
export interface VulnerabilitySpec {
  id: string;
  pkg: string;
  installed: string;
  fixed: string;
  severity: 'UNKNOWN' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
  title: string;
  score: number;
  published: string;
}
