import type { ArgoCdWatchStatus } from '@gitops-delivery/backstage-plugin-delivery-node';

/**
 * The overview's note on an Argo CD instance whose live updates are
 * unavailable: its Application stream failed (`problem`, redacted by the
 * transport) and the instance is polled, or reconnecting. Undefined while
 * the stream is current, before it first failed, or when it is not watched.
 */
export function watchNote(
  status: ArgoCdWatchStatus | undefined,
): string | undefined {
  if (!status?.problem) return undefined;
  if (status.mode === 'streaming' && status.serving) return undefined;
  const why = `Live updates unavailable: ${status.problem}`;
  if (status.mode === 'polling') {
    const seconds = Math.max(1, Math.round(status.pollIntervalMs / 1000));
    return `${why}; polling Argo CD every ${seconds} s.`;
  }
  return `${why}; reconnecting, and reading Argo CD on each refresh meanwhile.`;
}

/** The notes of the watched instances, by instance name. */
export function watchNotes(
  statuses: ArgoCdWatchStatus[] | undefined,
): Map<string, string> {
  const notes = new Map<string, string>();
  for (const status of statuses ?? []) {
    const note = watchNote(status);
    if (note) notes.set(status.instance, note);
  }
  return notes;
}
