import type {
  ArgoCdDesiredApplication as ArgoCdApplication,
  ArgoCdDestination,
  ArgoCdProject,
} from '@gitops-delivery/backstage-plugin-delivery-node';

/** The Application the action is asked for. @public */
export interface ApplicationRequest {
  name: string;
  project: string;
  repoUrl: string;
  path: string;
  targetRevision: string;
  destination: ArgoCdDestination;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  autoSync: boolean;
}

/** The Application body to create for a request. */
export function buildApplication(
  request: ApplicationRequest,
): ArgoCdApplication {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: request.name,
      labels: request.labels,
      annotations: request.annotations,
    },
    spec: {
      project: request.project,
      source: {
        repoURL: request.repoUrl,
        path: request.path,
        targetRevision: request.targetRevision,
      },
      destination: request.destination,
      syncPolicy: {
        ...(request.autoSync
          ? { automated: { prune: true, selfHeal: true } }
          : {}),
        syncOptions: ['CreateNamespace=true'],
      },
    },
  };
}

function isSubset(wanted: unknown, actual: unknown): boolean {
  if (wanted === undefined) return true;
  if (typeof wanted !== 'object' || wanted === null) return wanted === actual;
  if (typeof actual !== 'object' || actual === null) return false;
  if (Array.isArray(wanted)) {
    return (
      Array.isArray(actual) &&
      wanted.length === actual.length &&
      wanted.every((w, i) => isSubset(w, actual[i]))
    );
  }
  return Object.entries(wanted).every(([key, value]) =>
    isSubset(value, (actual as Record<string, unknown>)[key]),
  );
}

/**
 * The existing Application updated to what was asked: our spec fields and
 * labels replace theirs; other labels, annotations and spec fields stay.
 * Undefined when nothing would change (the idempotent case).
 */
export function mergeApplication(
  existing: ArgoCdApplication,
  desired: ArgoCdApplication,
): ArgoCdApplication | undefined {
  const automatedWanted = desired.spec.syncPolicy?.automated !== undefined;
  const automatedNow = existing.spec.syncPolicy?.automated !== undefined;
  const unchanged =
    automatedWanted === automatedNow &&
    isSubset(desired.metadata.labels, existing.metadata.labels ?? {}) &&
    isSubset(
      desired.metadata.annotations,
      existing.metadata.annotations ?? {},
    ) &&
    isSubset(desired.spec, existing.spec);
  if (unchanged) {
    return undefined;
  }
  const { status: _status, operation: _operation, ...rest } = existing;
  return {
    ...rest,
    metadata: {
      ...existing.metadata,
      labels: { ...existing.metadata.labels, ...desired.metadata.labels },
      annotations: {
        ...existing.metadata.annotations,
        ...desired.metadata.annotations,
      },
    },
    spec: { ...existing.spec, ...desired.spec },
  };
}

/** Argo CD's glob: `*` any run of characters, `?` one; `!` entries deny. */
function globMatches(pattern: string, value: string): boolean {
  if (pattern.startsWith('!')) return false;
  const special: Record<string, string> = { '*': '.*', '?': '.' };
  const regex = pattern
    .split('')
    .map(c => special[c] ?? c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))
    .join('');
  return new RegExp(`^${regex}$`).test(value);
}

/** What a project must additionally permit for the Application to be valid. */
export function missingProjectPermissions(
  project: ArgoCdProject,
  app: ArgoCdApplication,
): { sourceRepo?: string; destination?: ArgoCdDestination } {
  const repo = app.spec.source?.repoURL ?? '';
  const dest = app.spec.destination;
  const repoAllowed = (project.spec.sourceRepos ?? []).some(p =>
    globMatches(p, repo),
  );
  const destAllowed = (project.spec.destinations ?? []).some(
    d =>
      (dest.server
        ? globMatches(d.server ?? '', dest.server)
        : globMatches(d.name ?? '', dest.name ?? '')) &&
      globMatches(d.namespace ?? '', dest.namespace ?? ''),
  );
  return {
    sourceRepo: repoAllowed ? undefined : repo,
    destination: destAllowed ? undefined : dest,
  };
}

/** A new AppProject that permits exactly this Application's source and destination. */
export function buildProject(
  name: string,
  app: ArgoCdApplication,
  description: string,
): ArgoCdProject {
  return {
    metadata: {
      name,
      labels: { 'app.kubernetes.io/managed-by': 'backstage-delivery' },
    },
    spec: {
      description,
      sourceRepos: [app.spec.source?.repoURL ?? ''],
      destinations: [app.spec.destination],
    },
  };
}
