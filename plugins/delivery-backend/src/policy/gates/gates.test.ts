import type {
  GateDefinition,
  GateOutcome,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { evaluateGate } from '../evaluatePolicy';
import type { PolicyInput } from '../PolicyInput';
import {
  CANARY_IMAGE,
  environments,
  input,
  rollout,
  scan,
  slo,
} from '../__testUtils__/policyInputs';

const base = { onUnknown: 'fail' as const };
const ORDER = ['dev', 'staging', 'production'];
const vulns: GateDefinition = {
  ...base,
  kind: 'vulnerabilities',
  name: 'cves',
  max: { CRITICAL: 0, HIGH: 0 },
  onlyFixable: false,
};
const fixableVulns: GateDefinition = {
  ...vulns,
  onlyFixable: true,
} as GateDefinition;
const errorRate: GateDefinition = {
  ...base,
  kind: 'slo',
  name: 'err',
  slo: 'error-rate',
  threshold: 0.001,
};
const vsStable: GateDefinition = {
  ...base,
  kind: 'slo',
  name: 'vs',
  slo: 'latency-p99',
  maxWorseThanStable: 0.05,
};
const soak: GateDefinition = {
  ...base,
  kind: 'soak',
  name: 'soak',
  minutes: 10,
};
const analysis: GateDefinition = {
  ...base,
  kind: 'analysis',
  name: 'analysis',
};
const upstream: GateDefinition = {
  ...base,
  kind: 'upstream-environment',
  name: 'upstream',
};
const inSync: GateDefinition = { ...base, kind: 'in-sync', name: 'in-sync' };
const freeze: GateDefinition = {
  ...base,
  kind: 'change-window',
  name: 'freeze',
  timeZone: 'America/New_York',
  freezes: [
    {
      name: 'thanksgiving',
      start: '2026-11-26T00:00',
      end: '2026-11-28T00:00',
    },
  ],
};
const weekly: GateDefinition = {
  ...base,
  kind: 'change-window',
  name: 'nights',
  timeZone: 'Asia/Tokyo',
  freezes: [{ name: 'nights', days: ['fri'], from: '20:00', to: '08:00' }],
};

const cases: Array<
  [string, GateDefinition, Partial<PolicyInput>, GateOutcome, RegExp]
> = [
  // vulnerabilities
  ['vulnerabilities pass', vulns, {}, 'pass', /within the allowed findings/],
  [
    'vulnerabilities fail on a CRITICAL',
    vulns,
    { images: [scan(CANARY_IMAGE, { CRITICAL: 1 })] },
    'fail',
    /1 CRITICAL \(allowed 0\)/,
  ],
  [
    'vulnerabilities fail on a HIGH',
    vulns,
    { images: [scan(CANARY_IMAGE, { HIGH: 2 })] },
    'fail',
    /2 HIGH/,
  ],
  [
    'vulnerabilities only-fixable ignores unfixed',
    fixableVulns,
    { images: [scan(CANARY_IMAGE, { HIGH: 2 }, {})] },
    'pass',
    /fixable/,
  ],
  [
    'vulnerabilities only-fixable counts fixed',
    fixableVulns,
    { images: [scan(CANARY_IMAGE, { HIGH: 2 }, { HIGH: 1 })] },
    'fail',
    /1 fixable HIGH/,
  ],
  [
    'vulnerabilities unknown without scan',
    vulns,
    { images: undefined, imagesError: 'trivy: 404' },
    'unknown',
    /No scan result.*trivy: 404/,
  ],
  [
    'vulnerabilities unknown when no scanner reported',
    vulns,
    { images: [{ ...scan(CANARY_IMAGE), reportFound: false, sources: [] }] },
    'unknown',
    /No scanner has a report of/,
  ],
  [
    'vulnerabilities unknown when the scanners have no report of the image',
    vulns,
    {
      images: [
        {
          ...scan(CANARY_IMAGE),
          reportFound: false,
          sources: [
            {
              source: 'trivy-operator',
              status: 'ok',
              message:
                'No VulnerabilityReport for ReplicaSet checkout-7d5979db69',
            },
            {
              source: 'trivy',
              status: 'ok',
              message: 'No Trivy report for sha256:abc',
            },
          ],
        },
      ],
    },
    'unknown',
    /No scanner has a report of/,
  ],
  [
    'vulnerabilities unknown when every scanner failed',
    vulns,
    {
      images: [
        {
          ...scan(CANARY_IMAGE),
          reportFound: false,
          sources: [{ source: 'trivy', status: 'error', message: 'timeout' }],
        },
      ],
    },
    'unknown',
    /^No report of ghcr\.io\/acme\/checkout:1\.4\.0: the scanner trivy failed$/,
  ],
  [
    'vulnerabilities unknown names the scanners that failed apart from those without a report',
    vulns,
    {
      images: [
        {
          ...scan(CANARY_IMAGE),
          reportFound: false,
          sources: [
            { source: 'trivy-operator', status: 'ok', message: 'none' },
            { source: 'trivy', status: 'error', message: 'HTTP 503' },
            { source: 'snyk', status: 'error', message: 'HTTP 500' },
          ],
        },
      ],
    },
    'unknown',
    /^No report of \S+: the scanners trivy and snyk failed, and trivy-operator has no report of it$/,
  ],
  [
    'vulnerabilities unknown when the producer does not say a report was found',
    vulns,
    { images: [{ ...scan(CANARY_IMAGE), reportFound: undefined }] },
    'unknown',
    /No scanner has a report of/,
  ],
  [
    'vulnerabilities pass on a clean report, whatever the other scanners say',
    vulns,
    {
      images: [
        {
          ...scan(CANARY_IMAGE),
          sources: [
            {
              source: 'snyk',
              status: 'ok',
              message: 'No Snyk project named ghcr.io/acme/checkout',
            },
            { source: 'trivy', status: 'ok', message: 'Newest report used' },
          ],
        },
      ],
    },
    'pass',
    /within the allowed findings/,
  ],
  // slo
  [
    'slo pass, value and threshold in the SLO unit',
    errorRate,
    {},
    'pass',
    /within its threshold: 0\.02% ≤ 0\.1%$/,
  ],
  [
    'slo fail',
    errorRate,
    { slos: [slo('error-rate', 0.08)] },
    'fail',
    /is 8%, above the threshold: 8% > 0\.1%$/,
  ],
  [
    'slo unknown without canary data',
    errorRate,
    { slos: [slo('error-rate', null)] },
    'unknown',
    /No error-rate value for the canary/,
  ],
  [
    'slo unknown when Prometheus failed',
    errorRate,
    { slos: undefined, slosError: 'prometheus timed out' },
    'unknown',
    /prometheus timed out/,
  ],
  [
    'slo unknown when not measured',
    errorRate,
    { slos: [] },
    'unknown',
    /was not measured/,
  ],
  [
    'slo not applicable without a rollout',
    errorRate,
    { rollout: undefined },
    'not-applicable',
    /no rollout, so there is no canary/,
  ],
  [
    'soak not applicable without a rollout',
    soak,
    { rollout: undefined },
    'not-applicable',
    /no rollout, so there is no canary/,
  ],
  [
    'analysis not applicable without a rollout',
    analysis,
    { rollout: undefined },
    'not-applicable',
    /no rollout, so there is no canary/,
  ],
  ['slo vs stable pass', vsStable, {}, 'pass', /within its threshold/],
  [
    'slo vs stable fail',
    vsStable,
    { slos: [slo('latency-p99', 0.4, 0.2)] },
    'fail',
    /worse than stable/,
  ],
  [
    'slo vs stable unknown',
    vsStable,
    { slos: [slo('latency-p99', 0.4, null)] },
    'unknown',
    /No latency-p99 value for stable/,
  ],
  // soak
  [
    'soak pass',
    soak,
    {},
    'pass',
    /Soaked 15 min at the current step \(at least 10 min\)/,
  ],
  [
    'soak fail',
    soak,
    { stepStartedAt: '2026-11-27T11:56:00Z' },
    'fail',
    /Soaked 4 of 10 min/,
  ],
  [
    'soak unknown',
    soak,
    { rollout: rollout({ pause: undefined }) },
    'unknown',
    /not known/,
  ],
  // analysis
  ['analysis pass', analysis, {}, 'pass', /is Successful/],
  [
    'analysis fail',
    analysis,
    {
      rollout: rollout({
        analysisRuns: [
          {
            ...rollout().analysisRuns[0],
            phase: 'Failed',
            message: 'metric error-rate assessed Failed',
          },
        ],
      }),
    },
    'fail',
    /Failed: metric error-rate/,
  ],
  [
    'analysis fail while running',
    analysis,
    {
      rollout: rollout({
        analysisRuns: [{ ...rollout().analysisRuns[0], phase: 'Running' }],
      }),
    },
    'fail',
    /is Running/,
  ],
  [
    'analysis ignores runs of another revision',
    analysis,
    {
      rollout: rollout({
        analysisRuns: [
          { ...rollout().analysisRuns[0], podTemplateHash: 'oldhash' },
        ],
      }),
    },
    'unknown',
    /No AnalysisRun found/,
  ],
  [
    'analysis pass without analysis steps',
    analysis,
    {
      rollout: rollout({
        steps: [{ kind: 'setWeight', weight: 50 }],
        analysisRuns: [],
      }),
    },
    'pass',
    /defines no analysis/,
  ],
  [
    'analysis unknown phase',
    analysis,
    {
      rollout: rollout({
        analysisRuns: [{ ...rollout().analysisRuns[0], phase: 'Weird' }],
      }),
    },
    'unknown',
    /unknown phase/,
  ],
  // upstream environment
  [
    'upstream pass',
    upstream,
    {},
    'pass',
    /staging is Synced and Healthy and runs/,
  ],
  [
    'upstream pass for the first configured environment',
    upstream,
    { environment: 'dev', rollout: undefined, configuredEnvironments: ORDER },
    'pass',
    /^dev is the first environment in delivery\.environments; nothing is upstream$/,
  ],
  [
    'upstream unknown, not "first", when the entity has no application before a later configured environment',
    upstream,
    {
      environments: environments().filter(e => e.name === 'production'),
      configuredEnvironments: ORDER,
    },
    'unknown',
    /^No application of the entity was found in staging or any environment before production, so nothing shows that the image ran upstream$/,
  ],
  [
    'upstream unknown names the Argo CD instance that could not be read',
    upstream,
    {
      environments: environments().filter(e => e.name === 'production'),
      configuredEnvironments: ORDER,
      unreadInstances: [{ instance: 'nonprod', message: 'no answer' }],
    },
    'unknown',
    /in staging .*; Argo CD instance "nonprod" could not be read, and may hold it$/,
  ],
  [
    'upstream unknown for an environment that is not configured',
    upstream,
    {
      environment: 'unassigned',
      environments: [{ ...environments()[2], name: 'unassigned' }],
      configuredEnvironments: ORDER,
    },
    'unknown',
    /unassigned is not in delivery\.environments \(dev → staging → production\)/,
  ],
  [
    'upstream unknown without a configured order',
    upstream,
    { environment: 'dev', rollout: undefined },
    'unknown',
    /configured order of environments is not known/,
  ],
  [
    'upstream pass over a configured environment the entity skips',
    upstream,
    {
      environments: environments().filter(e => e.name !== 'staging'),
      configuredEnvironments: ORDER,
    },
    'pass',
    /^dev is Synced and Healthy/,
  ],
  [
    'upstream unknown over a skipped environment when an instance could not be read',
    upstream,
    {
      environments: environments().filter(e => e.name !== 'staging'),
      configuredEnvironments: ORDER,
      unreadInstances: [{ instance: 'nonprod', message: 'no answer' }],
    },
    'unknown',
    /found in staging, between dev and production; Argo CD instance "nonprod" could not be read/,
  ],
  [
    'upstream fail when unhealthy',
    upstream,
    {
      environments: environments({
        staging: { health: { status: 'Degraded' } },
      }),
    },
    'fail',
    /checkout-staging is Synced \/ Degraded/,
  ],
  [
    'upstream fail on another image',
    upstream,
    {
      environments: environments({
        staging: { images: ['ghcr.io/acme/checkout:1.3.9'] },
      }),
    },
    'fail',
    /does not run ghcr.io\/acme\/checkout:1.4.0/,
  ],
  [
    'upstream unknown when status unknown',
    upstream,
    {
      environments: environments({ staging: { sync: { status: 'Unknown' } } }),
    },
    'unknown',
    /Unknown/,
  ],
  [
    'upstream unknown for a missing environment',
    upstream,
    { environment: 'qa' },
    'unknown',
    /"qa" was not found/,
  ],
  // in sync
  ['in-sync pass', inSync, {}, 'pass', /no drift/],
  [
    'in-sync fail',
    inSync,
    {
      environments: environments({
        production: { sync: { status: 'OutOfSync' } },
      }),
    },
    'fail',
    /OutOfSync/,
  ],
  [
    'in-sync unknown',
    inSync,
    {
      environments: environments({
        production: { sync: { status: 'Unknown' } },
      }),
    },
    'unknown',
    /Unknown/,
  ],
  // change window (NOW = 2026-11-27 12:00 UTC = Fri 07:00 New York = Fri 21:00 Tokyo)
  [
    'change-window fail inside a one-off freeze',
    freeze,
    {},
    'fail',
    /"thanksgiving".*America\/New_York/,
  ],
  [
    'change-window pass after the freeze',
    freeze,
    { now: new Date('2026-11-28T05:00:00Z') },
    'pass',
    /Outside/,
  ],
  [
    'change-window still frozen just before local midnight',
    freeze,
    { now: new Date('2026-11-28T04:59:00Z') },
    'fail',
    /thanksgiving/,
  ],
  [
    'change-window fail inside a weekly night freeze',
    weekly,
    {},
    'fail',
    /"nights"/,
  ],
  [
    'change-window fail the morning after',
    weekly,
    { now: new Date('2026-11-27T22:30:00Z') },
    'fail',
    /"nights"/,
  ],
  [
    'change-window pass on Saturday noon',
    weekly,
    { now: new Date('2026-11-28T03:00:00Z') },
    'pass',
    /Outside/,
  ],
  [
    'change-window unknown for an invalid time',
    weekly,
    { now: new Date('invalid') },
    'unknown',
    /could not be determined/,
  ],
  [
    'change-window unknown for an unknown zone',
    { ...weekly, timeZone: 'Mars/Olympus' } as GateDefinition,
    {},
    'unknown',
    /Mars\/Olympus/,
  ],
];

describe('gates', () => {
  it.each(cases)('%s', async (_title, gate, overrides, outcome, reason) => {
    const result = await evaluateGate(gate, input(overrides));
    expect(result.outcome).toBe(outcome);
    expect(result.reason).toMatch(reason);
    // not applicable never blocks; unknown fails closed by default
    expect(result.blocking).toBe(outcome === 'fail' || outcome === 'unknown');
    expect(result.name).toBe(gate.name);
  });

  it('lets an unknown pass when the gate says so', async () => {
    const result = await evaluateGate(
      { ...soak, onUnknown: 'pass' },
      input({ rollout: rollout({ pause: undefined }) }),
    );
    expect(result).toMatchObject({ outcome: 'unknown', blocking: false });
  });

  it('carries evidence with values and thresholds', async () => {
    const result = await evaluateGate(
      errorRate,
      input({ slos: [slo('error-rate', 0.08)] }),
    );
    expect(result.evidence).toContainEqual({
      label: 'error-rate (canary)',
      value: 0.08,
      threshold: 0.001,
      comparison: 'below',
      unit: 'ratio',
    });
  });
});
