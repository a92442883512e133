import type {
  AuditPage,
  GateResult,
  MetricsResponse,
  PolicyResponse,
  SeverityCounts,
  VulnerabilitiesResponse,
  VulnerabilityFinding,
} from '@gitops-delivery/backstage-plugin-delivery-common';

const START = 1795780800; // 2026-11-27T09:20:00Z, 5-minute steps below

function series(values: Array<number | null>) {
  return values.map((value, i) => ({ t: START + i * 300, value }));
}

/** SLO series of production; the canary has a NaN (null) gap, as Prometheus gives on 0/0. */
export const metricsResponse: MetricsResponse = {
  entityRef: 'component:default/checkout',
  environment: 'production',
  rangeSeconds: 3600,
  stepSeconds: 300,
  start: START,
  end: START + 3300,
  rollouts: [
    {
      instance: 'main',
      application: 'checkout-production',
      namespace: 'checkout',
      rollout: 'checkout',
      stepChanges: [
        {
          t: START + 600,
          stepIndex: 1,
          weight: 5,
          cause: 'pause',
          detail: 'CanaryPauseStep',
        },
        {
          t: START + 1800,
          stepIndex: 3,
          weight: 25,
          cause: 'promote',
          detail: 'promote by user:default/alice: soak ok',
        },
      ],
      slos: [
        {
          name: 'error-rate',
          description: 'HTTP 5xx ratio',
          unit: 'ratio',
          threshold: 0.001,
          comparison: 'below',
          status: 'breach',
          canary: {
            podTemplateHash: '7d5979db69',
            current: 0.08,
            series: series([
              0.0004,
              0.0005,
              null,
              null,
              0.002,
              0.01,
              0.05,
              0.08,
              0.08,
              0.08,
              0.08,
              0.08,
            ]),
          },
          stable: {
            podTemplateHash: '6b566f47b7',
            current: 0.0005,
            series: series(Array.from({ length: 12 }, () => 0.0005)),
          },
        },
        {
          name: 'latency-p99',
          description: 'p99 latency',
          unit: 'seconds',
          threshold: 0.5,
          comparison: 'below',
          status: 'ok',
          canary: {
            current: 0.21,
            series: series(Array.from({ length: 12 }, () => 0.21)),
          },
          stable: {
            current: null,
            series: [],
            message: 'no data for the stable pods',
          },
        },
      ],
    },
  ],
  sources: [{ source: 'prometheus', status: 'ok' }],
};

function counts(c: number, h: number, m: number, l: number): SeverityCounts {
  return { CRITICAL: c, HIGH: h, MEDIUM: m, LOW: l, UNKNOWN: 0 };
}

/** The CRITICAL CVE only payments' canary image has. */
export const newCritical: VulnerabilityFinding = {
  id: 'CVE-2026-1234',
  severity: 'CRITICAL',
  packageName: 'openssl',
  installedVersion: '3.0.1',
  fixedVersion: '3.0.15',
  fixable: true,
  title: 'openssl: buffer overflow',
  url: 'https://avd.aquasec.com/nvd/cve-2026-1234',
  source: 'trivy',
};

const medium: VulnerabilityFinding = {
  id: 'CVE-2025-0001',
  severity: 'MEDIUM',
  packageName: 'zlib',
  installedVersion: '1.2.11',
  fixable: false,
  source: 'trivy',
};

/** Vulnerabilities of a canary with a new CRITICAL, next to a stable image without. */
export const vulnerabilitiesResponse: VulnerabilitiesResponse = {
  entityRef: 'component:default/checkout',
  environment: 'production',
  rollouts: [
    {
      instance: 'main',
      application: 'checkout-production',
      namespace: 'checkout',
      rollout: 'checkout',
      canary: {
        image: 'ghcr.io/acme/checkout:1.5.0',
        counts: counts(1, 0, 1, 0),
        fixableCounts: counts(1, 0, 0, 0),
        findings: [medium, newCritical],
        sources: [{ source: 'trivy', status: 'ok' }],
      },
      stable: {
        image: 'ghcr.io/acme/checkout:1.4.0',
        counts: counts(0, 0, 1, 0),
        fixableCounts: counts(0, 0, 0, 0),
        findings: [medium],
        sources: [{ source: 'trivy', status: 'ok' }],
      },
      newInCanary: [newCritical],
    },
  ],
  sources: [
    { source: 'trivy', status: 'ok' },
    { source: 'snyk', status: 'not-configured' },
  ],
};

/** `n` findings for the render-time test. */
export function manyFindings(n: number): VulnerabilitiesResponse {
  const findings: VulnerabilityFinding[] = Array.from(
    { length: n },
    (_, i) => ({
      id: `CVE-2026-${String(i).padStart(4, '0')}`,
      severity: (['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const)[i % 4],
      packageName: `pkg-${i}`,
      installedVersion: '1.0.0',
      fixedVersion: i % 2 ? '1.0.1' : undefined,
      fixable: i % 2 === 1,
      source: 'trivy',
    }),
  );
  const view = vulnerabilitiesResponse.rollouts[0];
  return {
    ...vulnerabilitiesResponse,
    rollouts: [
      {
        ...view,
        canary: { ...view.canary!, findings },
        newInCanary: [],
      },
    ],
  };
}

/** The gates of production's policy while the canary soaks. */
export const blockingGates: GateResult[] = [
  {
    name: 'no-critical-cves',
    kind: 'vulnerabilities',
    outcome: 'pass',
    blocking: true,
    reason: 'No CRITICAL or HIGH findings in the canary image',
    evidence: [{ label: 'CRITICAL', value: 0, threshold: 0 }],
  },
  {
    name: 'soak-time',
    kind: 'soak',
    outcome: 'fail',
    blocking: true,
    reason: 'Soaked 3 of 10 min at the current step',
    evidence: [
      {
        label: 'time at current step',
        value: 3,
        threshold: 10,
        unit: 'minutes',
        comparison: 'above',
      },
    ],
  },
  {
    name: 'error-rate',
    kind: 'slo',
    outcome: 'unknown',
    blocking: true,
    reason: 'Prometheus returned no data for the canary',
    evidence: [
      {
        label: 'error ratio',
        value: null,
        threshold: 0.001,
        url: 'https://prometheus.acme.test/graph',
      },
    ],
  },
];

/** production's policy evaluation: blocked by the soak time. */
export const policyResponse: PolicyResponse = {
  entityRef: 'component:default/checkout',
  environment: 'production',
  evaluations: [
    {
      policy: 'default',
      environment: 'production',
      instance: 'main',
      rollout: 'checkout',
      allowed: false,
      evaluatedAt: '2026-11-27T12:00:00.000Z',
      gates: blockingGates,
    },
  ],
  sources: [{ source: 'argocd', instance: 'main', status: 'ok' }],
};

/** Two audit records, newest first, with a next page. */
export const auditPage: AuditPage = {
  items: [
    {
      id: 'a2',
      createdAt: '2026-11-27T11:59:00.000Z',
      actor: 'user:default/dana',
      entityRef: 'component:default/checkout',
      environment: 'production',
      rollout: 'checkout',
      action: 'promote',
      reason: 'Looks good on dashboards',
      decision: 'blocked',
      outcome: 'rejected',
      message: 'soak-time failed',
      gates: blockingGates,
    },
    {
      id: 'a1',
      createdAt: '2026-11-27T11:00:00.000Z',
      actor: 'user:default/sam',
      entityRef: 'component:default/checkout',
      environment: 'production',
      rollout: 'checkout',
      action: 'abort',
      reason: 'Error spike',
      decision: 'allowed',
      outcome: 'succeeded',
    },
  ],
  nextCursor: 'cursor-2',
};
