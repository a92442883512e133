import type { RolloutView } from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  ArgoCdApplication,
  RolloutSide,
} from '@gitops-delivery/backstage-plugin-delivery-node';

const GIT_SHA = /^[0-9a-f]{40}$/;

function gitRevision(entry?: {
  revision?: string;
  revisions?: string[];
}): string | undefined {
  if (!entry) return undefined;
  const all = [...(entry.revisions ?? []), entry.revision ?? ''];
  return all.find(r => GIT_SHA.test(r));
}

/**
 * The git commit each side of a rollout runs, from its Argo CD
 * Application: the side being rolled out (the canary, or stable once fully
 * promoted) runs the revision Argo CD synced last; while a canary is under
 * way, stable runs the revision deployed before it (the newest history
 * entry of another commit). Only full git SHAs count (a chart version or an
 * OCI digest is not a commit SAST or SCA can read); a side without one is
 * left out.
 */
export function sideRevisions(
  view: Pick<RolloutView, 'canaryPodHash' | 'stablePodHash' | 'fullyPromoted'>,
  application: Pick<ArgoCdApplication, 'status'> | undefined,
): Partial<Record<RolloutSide, string>> {
  const status = application?.status;
  const current = gitRevision(status?.sync);
  if (!current) return {};
  const promoted =
    view.fullyPromoted ||
    !view.canaryPodHash ||
    view.canaryPodHash === view.stablePodHash;
  if (promoted) return { stable: current };
  const history = status?.history ?? [];
  let previous: string | undefined;
  for (let i = history.length - 1; i >= 0; i--) {
    const revision = gitRevision(history[i]);
    if (revision && revision !== current) {
      previous = revision;
      break;
    }
  }
  return { canary: current, ...(previous ? { stable: previous } : {}) };
}
