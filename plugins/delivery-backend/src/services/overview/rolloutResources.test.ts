import type {
  ArgoCdApplication,
  ArgoCdResourceNode,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { jsonFixture, yamlFixture } from '../../__testUtils__/fixtures';
import {
  currentAnalysisRunNodes,
  isNode,
  managedRollouts,
  needsTree,
} from './rolloutResources';
import type { RolloutObject } from './rolloutTypes';

const guestbook = (): ArgoCdApplication =>
  jsonFixture('argocd/application-guestbook-synced.json');

describe('which Applications need their resource tree', () => {
  it('skips the tree of an Application whose managed resources hold no Rollout', () => {
    // the recorded guestbook manages a Service and a Deployment
    const app = guestbook();
    expect(managedRollouts(app)).toEqual([]);
    expect(needsTree(app)).toBe(false);
  });

  it('reads it when a Rollout is managed, or when the list is missing', () => {
    const app = guestbook();
    app.status!.resources!.push({
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Rollout',
      namespace: 'default',
      name: 'guestbook',
    });
    expect(managedRollouts(app)).toEqual([
      {
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Rollout',
        namespace: 'default',
        name: 'guestbook',
      },
    ]);
    expect(needsTree(app)).toBe(true);
    const bare = guestbook();
    delete bare.status!.resources;
    expect(needsTree(bare)).toBe(true);
  });
});

describe('currentAnalysisRunNodes', () => {
  const rollout: RolloutObject = yamlFixture(
    'argo-rollouts/rollout-canary-paused-step.yaml',
  );
  const hash = rollout.status!.currentPodHash!;
  const node = (name: string, namespace = 'rollouts-demo') =>
    ({
      group: 'argoproj.io',
      kind: 'AnalysisRun',
      namespace,
      name,
    } as ArgoCdResourceNode);
  const rolloutNode = {
    kind: 'Rollout',
    namespace: 'rollouts-demo',
    name: 'rollouts-demo',
  } as ArgoCdResourceNode;

  it("keeps the runs of the Rollout's current pod hash in its namespace", () => {
    const nodes = [
      node(`rollouts-demo-${hash}-3`),
      node(`rollouts-demo-${hash}-3-1`),
      node('rollouts-demo-0000000000-2'),
      node(`rollouts-demo-${hash}-3`, 'elsewhere'),
      node(`other-${hash}-3`),
    ].filter(isNode);
    expect(
      currentAnalysisRunNodes(nodes, rolloutNode, rollout).map(n => n.name),
    ).toEqual([`rollouts-demo-${hash}-3`, `rollouts-demo-${hash}-3-1`]);
  });

  it('ignores nodes without a kind or a name', () => {
    expect(isNode({ kind: 'AnalysisRun' } as ArgoCdResourceNode)).toBe(false);
  });
});
