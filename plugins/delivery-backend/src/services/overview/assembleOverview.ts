import type { Entity } from '@backstage/catalog-model';
import type {
  EnvironmentView,
  SourceStatus,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { bindingOf } from '../../binding/applicationBinding';
import type { BindingConfig } from '../../binding/readBindingConfig';
import type { ArgoCdAppRef } from '@gitops-delivery/backstage-plugin-delivery-node';
import { toAnalysisRunView } from './analysisRunView';
import { toApplicationView } from './applicationView';
import { toDeploymentView } from './deploymentView';
import { orderEnvironments } from './environment';
import { commitUrl } from './links';
import type { LoadedApplication } from './loadArgoCdState';
import type { LiveApplication, LiveRollout } from './overviewTypes';
import { toRolloutView } from './rolloutView';
import {
  deriveStages,
  stageEnvironments,
  type EnvironmentFacts,
} from './stages';

/** What the Argo CD part of an overview is assembled from. */
export interface AssemblyInput {
  /** The catalog entity (its Applications must name it back to be bound). */
  entity: Entity;
  /** What the Argo CD reads found, in the order they were listed. */
  loaded: LoadedApplication[];
  /** The configured environment names in promotion order. */
  environments: string[];
  binding: BindingConfig;
  /** The Argo CD UI link of an Application. */
  applicationUrl(instance: string, app: ArgoCdAppRef): string;
  /** When the overview is generated (pause and step times). */
  now: Date;
}

/** The Argo CD part of an overview and the live objects behind it. */
export interface AssembledOverview {
  environments: EnvironmentView[];
  applications: LiveApplication[];
  rollouts: LiveRollout[];
}

const SHA = /^[0-9a-f]{7,64}$/;

/** The commit an environment deploys, from its first Application that has metadata. */
function deployedCommit(
  { live, metadata }: LoadedApplication,
  repoURL: string | undefined,
): EnvironmentFacts['commit'] {
  if (!metadata.has(-1)) return undefined;
  const sync = live.application.status?.sync;
  const revision = sync?.revisions?.find(r => SHA.test(r)) ?? sync?.revision;
  if (!revision) return undefined;
  return {
    revision,
    metadata: metadata.get(-1),
    url: commitUrl(repoURL, revision),
  };
}

/**
 * Models what the Argo CD reads found: the environments in promotion order
 * (configured first), each with its Applications, Rollouts, deployed commit
 * and pipeline stages. Pure: the same reads give the same view.
 */
export function assembleOverview(input: AssemblyInput): AssembledOverview {
  const byEnvironment = new Map<string, EnvironmentFacts>();
  for (const name of orderEnvironments(
    input.loaded.map(d => d.live.environment),
    input.environments,
  )) {
    byEnvironment.set(name, { name, applications: [], rollouts: [] });
  }
  const applications: LiveApplication[] = [];
  const rollouts: LiveRollout[] = [];
  for (const loaded of input.loaded) {
    const { live } = loaded;
    const facts = byEnvironment.get(live.environment)!;
    const view = toApplicationView({
      instance: live.instance,
      app: live.application,
      metadata: loaded.metadata,
      links: [
        {
          title: `Argo CD (${live.instance})`,
          url: input.applicationUrl(live.instance, live.ref),
        },
      ],
      binding: bindingOf({
        entity: input.entity,
        instance: live.instance,
        application: live.application,
        config: input.binding,
      }),
    });
    facts.applications.push(view);
    applications.push(live);
    facts.commit ??= deployedCommit(loaded, view.repoURL);
    for (const { actions, ...r } of loaded.rollouts) {
      const rolloutView = toRolloutView({
        instance: live.instance,
        application: live.ref.name,
        appNamespace: live.ref.appNamespace,
        rollout: r.rollout,
        treeNodes: live.tree?.nodes ?? [],
        analysisRuns: r.analysisRuns.map(toAnalysisRunView),
        experiment: r.experiment,
        routerObjects: r.routerObjects,
        actions,
        now: input.now,
      });
      rolloutView.binding = view.binding;
      facts.rollouts.push(rolloutView);
      rollouts.push({ ...r, view: rolloutView });
    }
    for (const { deployment } of loaded.deployments ?? []) {
      const deploymentView = toDeploymentView({
        instance: live.instance,
        application: live.ref.name,
        appNamespace: live.ref.appNamespace,
        deployment,
        treeNodes: live.tree?.nodes ?? [],
        now: input.now,
      });
      (facts.deployments ??= []).push(deploymentView);
    }
  }
  const facts = [...byEnvironment.values()];
  const { staging, production } = stageEnvironments(input.environments);
  return {
    environments: facts.map(f => ({
      name: f.name,
      applications: f.applications,
      rollouts: f.rollouts,
      ...(f.deployments ? { deployments: f.deployments } : {}),
      stages: deriveStages({
        environments: facts,
        environment: f.name,
        stagingEnvironment: staging,
        productionEnvironment: production,
      }),
    })),
    applications,
    rollouts,
  };
}

/**
 * One Argo CD source status per searched instance: ok (with the note of an
 * instance whose live updates are unavailable), or its errors.
 */
export function argocdSources(
  instances: string[],
  errors: Map<string, string[]>,
  notes: Map<string, string> = new Map(),
): SourceStatus[] {
  return instances.map(instance => {
    const list = errors.get(instance) ?? [];
    const note = notes.get(instance);
    return list.length === 0
      ? { source: 'argocd', instance, status: 'ok', ...(note ? { note } : {}) }
      : {
          source: 'argocd',
          instance,
          status: 'error',
          message: list.join('; '),
        };
  });
}
