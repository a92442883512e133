import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import {
  createSecretRedactor,
  createUpstreamCallMetrics,
  fetchUpstream,
  UpstreamTransportError,
  type SecretRedactor,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { isValidDigest } from './imageReference';
import { parseTrivyReport, type TrivyReportResult } from './trivyReport';

/** `delivery.trivy`. @public */
export interface TrivyConfig {
  /** Base URL of the report store; a report is at `<base>/<digest>.json`. */
  reportStoreUrl: string;
  /** Extra request headers, e.g. Authorization (secret). */
  headers: Record<string, string>;
  timeoutMs: number;
}

/** The report store's answer for one digest. @public */
export type TrivyStoreResult = TrivyReportResult | { kind: 'missing' };

/** Reads Trivy JSON reports from the configured report store. @public */
export interface TrivyReportClient {
  getReport(digest: string): Promise<TrivyStoreResult>;
}

/** Creates a TrivyReportClient; errors say what failed, never with headers. @public */
export function createTrivyReportClient(
  config: TrivyConfig,
  options: {
    fetch?: typeof fetch;
    /** Learns the configured header values; redacts every error text. */
    redactor?: SecretRedactor;
    /** Counts and times the calls (`delivery.trivy.calls`). */
    metrics?: MetricsService;
  } = {},
): TrivyReportClient {
  const calls = createUpstreamCallMetrics(options.metrics, 'trivy');
  const base = config.reportStoreUrl.replace(/\/+$/, '');
  const redactor = options.redactor ?? createSecretRedactor();
  for (const [header, value] of Object.entries(config.headers)) {
    redactor.register(value, {
      what: `the ${header} header of the Trivy report store`,
    });
  }
  return {
    async getReport(digest) {
      // The digest is the only part of the URL that varies; it is checked
      // against sha256:<64 hex> so it cannot add a path or a host.
      if (!isValidDigest(digest)) {
        throw new Error(
          `Trivy: "${String(digest).slice(0, 80)}" is not a sha256 digest`,
        );
      }
      let response: Response;
      try {
        response = await fetchUpstream({
          what: 'Trivy report store',
          url: `${base}/${digest}.json`,
          headers: { accept: 'application/json', ...config.headers },
          timeoutMs: config.timeoutMs,
          fetch: options.fetch,
          redactor,
          metrics: calls,
          route: 'GET /{digest}.json',
        });
      } catch (error) {
        if (!(error instanceof UpstreamTransportError)) throw error;
        throw new Error(error.message);
      }
      if (response.status === 404) return { kind: 'missing' };
      if (response.status === 401 || response.status === 403) {
        throw new Error(
          `Trivy report store refused the configured credentials (HTTP ${response.status})`,
        );
      }
      if (!response.ok) {
        throw new Error(`Trivy report store answered HTTP ${response.status}`);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new Error('Trivy report store sent a report that is not JSON');
      }
      return parseTrivyReport(body, digest);
    },
  };
}
