import type {
  DeliveryOverview,
  FleetSecurity,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  OverviewContributor,
  OverviewService,
} from '../services/overview/OverviewService';
import type { FleetSignals } from './fleetTypes';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;

type Summary = NonNullable<DeliveryOverview['environments'][number]['summary']>;

/** The worst severity with findings, from an environment's counts. */
export function worstFinding(
  counts: object | undefined,
): FleetSecurity | undefined {
  if (!counts) return undefined;
  const bySeverity = counts as Partial<Record<string, number>>;
  for (const severity of SEVERITIES) {
    const count = bySeverity[severity] ?? 0;
    if (count > 0) return { worst: severity, count };
  }
  return { worst: 'NONE', count: 0 };
}

/** The fleet's share of one environment's summary. */
export function signalsOf(summary: Summary | undefined): FleetSignals {
  const signals: FleetSignals = {};
  const security = worstFinding(summary?.vulnerabilities?.counts);
  if (security) signals.security = security;
  if (summary?.policy) {
    signals.policy = {
      allowed: summary.policy.allowed,
      failing: summary.policy.failing,
      ...(summary.policy.pending !== undefined
        ? { pending: summary.policy.pending }
        : {}),
    };
  }
  if (summary?.ci) {
    signals.ci = {
      status: summary.ci.status,
      ...(summary.ci.conclusion ? { conclusion: summary.ci.conclusion } : {}),
      ...(summary.ci.url ? { url: summary.ci.url } : {}),
    };
  }
  return signals;
}

/**
 * The overview's contributors (SLO, scans, CI, the modules', policy), as
 * they are registered, for the fleet, which runs the same ones over the
 * state it has read (fleetCellSignals). Wraps the OverviewService; the
 * overview itself is unchanged.
 */
export function tapContributors(service: OverviewService): {
  service: OverviewService;
  contributors: () => ReadonlyArray<OverviewContributor>;
} {
  const registered: OverviewContributor[] = [];
  return {
    service: {
      getOverview: (ref, credentials, options) =>
        service.getOverview(ref, credentials, options),
      getDeliveryState: (ref, credentials, options) =>
        service.getDeliveryState(ref, credentials, options),
      addContributor(contributor) {
        registered.push(contributor);
        service.addContributor(contributor);
      },
      addObserver: observer => service.addObserver(observer),
    },
    contributors: () => registered,
  };
}
