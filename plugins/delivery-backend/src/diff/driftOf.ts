import type { ArgoCdManagedResource } from '@gitops-delivery/backstage-plugin-delivery-node';
import { diffObjects, type FieldChange } from './diffObjects';
import { redactPair } from './redactSecrets';

/** How a managed resource differs from Git. */
export type DriftKind = 'modified' | 'missing' | 'extraneous';

/** One resource that differs, with the fields that do (live → desired). */
export interface ResourceDrift {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  drift: DriftKind;
  /** `argocd`: normalizedLiveState vs predictedLiveState; `target`: liveState vs targetState. */
  comparison: 'argocd' | 'target';
  /** `before` is the live value, `after` the desired one. */
  changes: FieldChange[];
}

type Obj = Record<string, unknown>;

/** A state string of the managed-resources answer; "null" and "" are no object. */
function parseState(state: string | undefined): Obj | undefined {
  if (!state) return undefined;
  try {
    const value = JSON.parse(state);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Obj)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The drift of an application's managed resources. Argo CD's own
 * normalisation is used where the server sends it (normalizedLiveState
 * against predictedLiveState: ignoreDifferences, defaults and the fields
 * it would merge are already taken care of); otherwise the live object is
 * compared with the target on the fields the target sets. Every pair is
 * redacted (redactPair) before it is compared. Hooks are left out.
 */
export function driftOf(resources: ArgoCdManagedResource[]): ResourceDrift[] {
  const out: ResourceDrift[] = [];
  for (const r of resources) {
    if (r.hook) continue;
    const normalized = parseState(r.normalizedLiveState);
    const predicted = parseState(r.predictedLiveState);
    const argocd = normalized !== undefined && predicted !== undefined;
    const rawLive = argocd ? normalized : parseState(r.liveState);
    const rawDesired = argocd ? predicted : parseState(r.targetState);
    const target = parseState(r.targetState);
    const { live, desired } = redactPair(rawLive, rawDesired);
    const ref = {
      group: r.group,
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
    };
    const comparison = argocd ? ('argocd' as const) : ('target' as const);
    if (!live && (desired || target)) {
      out.push({ ...ref, drift: 'missing', comparison, changes: [] });
      continue;
    }
    if (live && !desired && !target) {
      out.push({ ...ref, drift: 'extraneous', comparison, changes: [] });
      continue;
    }
    const changes =
      live && desired
        ? diffObjects(live, desired, { onlyAfterFields: !argocd })
        : [];
    if (changes.length > 0 || r.modified) {
      out.push({ ...ref, drift: 'modified', comparison, changes });
    }
  }
  return out;
}
