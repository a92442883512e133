import type { SourceStatus } from '@gitops-delivery/backstage-plugin-delivery-common';

const SOURCE_TITLES: Record<string, string> = {
  argocd: 'Argo CD',
  prometheus: 'Prometheus',
  trivy: 'Trivy',
  'trivy-operator': 'Trivy Operator',
  snyk: 'Snyk',
  github: 'GitHub Actions',
  policy: 'Policy',
};

const CONFIG_HINTS: Record<string, string> = {
  argocd: 'delivery.argocd.instances',
  prometheus: 'delivery.prometheus',
  trivy: 'delivery.trivy',
  snyk: 'delivery.snyk',
  github: 'delivery.github',
};

/** The name people know an upstream by, with its instance. */
export function sourceTitle(source: SourceStatus): string {
  const title = SOURCE_TITLES[source.source] ?? source.source;
  return source.instance ? `${title} (${source.instance})` : title;
}

/** The app-config key that configures an upstream, when there is one. */
export function configHint(source: string): string | undefined {
  return CONFIG_HINTS[source];
}

/** The sources of the given kinds (all when `kinds` is empty) with a status. */
export function sourcesWithStatus(
  sources: SourceStatus[] | undefined,
  status: SourceStatus['status'],
  kinds: string[] = [],
): SourceStatus[] {
  return (sources ?? []).filter(
    s => s.status === status && (!kinds.length || kinds.includes(s.source)),
  );
}

/**
 * The sources of the given kinds that answered with a note, e.g. an Argo CD
 * instance whose live updates are unavailable and that is polled instead.
 */
export function sourcesWithNotes(
  sources: SourceStatus[] | undefined,
  kinds: string[] = [],
): SourceStatus[] {
  return (sources ?? []).filter(
    s =>
      s.status === 'ok' &&
      Boolean(s.note) &&
      (!kinds.length || kinds.includes(s.source)),
  );
}
