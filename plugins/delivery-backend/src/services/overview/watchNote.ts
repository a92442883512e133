import type { ArgoCdWatchStatus } from '@gitops-delivery/backstage-plugin-delivery-node';

/** An Application of the entity, as the overview read it. */
export interface ViewedApplication {
  name: string;
  appNamespace?: string;
}

/**
 * The overview's note on an Argo CD instance whose live updates are
 * unavailable: its Application stream failed (`problem`, redacted by the
 * transport) and the instance is polled, or reconnecting; or, while that
 * stream is current, the resource-tree stream of one of the entity's own
 * Applications (`applications`) failed, and its tree and live resources
 * are read per view. Undefined while the streams are current, before they
 * first failed, or when the instance is not watched.
 */
export function watchNote(
  status: ArgoCdWatchStatus | undefined,
  applications: ViewedApplication[] = [],
): string | undefined {
  if (!status) return undefined;
  if (!status.problem || (status.mode === 'streaming' && status.serving)) {
    return treeNote(status, applications);
  }
  const why = `Live updates unavailable: ${status.problem}`;
  if (status.mode === 'polling') {
    const seconds = Math.max(1, Math.round(status.pollIntervalMs / 1000));
    return `${why}; polling Argo CD every ${seconds} s.`;
  }
  return `${why}; reconnecting, and reading Argo CD on each refresh meanwhile.`;
}

function treeNote(
  status: ArgoCdWatchStatus,
  applications: ViewedApplication[],
): string | undefined {
  const broken = (status.brokenTrees ?? []).filter(t =>
    applications.some(
      a =>
        a.name === t.name &&
        (!a.appNamespace ||
          !t.appNamespace ||
          a.appNamespace === t.appNamespace),
    ),
  );
  if (broken.length === 0) return undefined;
  const names = broken.map(t => t.name).join(', ');
  const problems = [...new Set(broken.map(t => t.problem))].join('; ');
  return `Live updates of the resource tree of ${names} unavailable: ${problems}; reading ${
    broken.length === 1 ? 'it' : 'them'
  } from Argo CD on each refresh meanwhile.`;
}

/**
 * The notes of the watched instances, by instance name; `applications`:
 * the entity's Applications per instance, whose tree streams count.
 */
export function watchNotes(
  statuses: ArgoCdWatchStatus[] | undefined,
  applications: Map<string, ViewedApplication[]> = new Map(),
): Map<string, string> {
  const notes = new Map<string, string>();
  for (const status of statuses ?? []) {
    const note = watchNote(status, applications.get(status.instance));
    if (note) notes.set(status.instance, note);
  }
  return notes;
}
