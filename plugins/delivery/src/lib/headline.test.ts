import type {
  EnvironmentView,
  PolicyEvaluation,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import {
  abortedRollout,
  canaryRollout,
  checkoutOverview,
} from '../__fixtures__/overview';
import { environmentHeadline, gateDetail, imageVersion } from './headline';

function production(overrides: Partial<EnvironmentView> = {}) {
  const env = checkoutOverview().environments.find(
    e => e.name === 'production',
  )!;
  return { ...env, ...overrides };
}

describe('environmentHeadline', () => {
  it('says where the change is, whether it is healthy and what blocks it', () => {
    const env = production();
    const rollout = env.rollouts[0];
    const headline = environmentHeadline(env);
    expect(headline.changing).toBe(true);
    expect(headline.text).toBe(
      `${imageVersion(rollout.canaryImages[0])} is at ${
        rollout.canaryWeight
      }% in production, healthy; promotion waits for soak-time.`,
    );
  });

  it('names what the blocking gate still needs from the evaluation', () => {
    const evaluation: PolicyEvaluation = {
      policy: 'default',
      environment: 'production',
      allowed: false,
      promotionPending: true,
      evaluatedAt: '2026-11-27T12:00:00Z',
      gates: [
        {
          name: 'soak',
          kind: 'soak',
          outcome: 'fail',
          blocking: true,
          reason: 'Soaked 3.8 of 10 min',
          evidence: [
            {
              label: 'time at current step',
              value: 3.8,
              threshold: 10,
              unit: 'minutes',
              comparison: 'above',
            },
          ],
        },
      ],
    };
    expect(environmentHeadline(production(), evaluation).text).toMatch(
      /healthy; promotion waits for the soak: 3\.8 of 10 min\.$/,
    );
  });

  it('says an SLO breach with the value against its threshold', () => {
    const env = production({
      summary: {
        slo: {
          status: 'breach',
          worst: { name: 'error-rate', value: 0.002, threshold: 0.001 },
        },
      },
    });
    const headline = environmentHeadline(env);
    expect(headline.text).toMatch(/unhealthy: error-rate 0\.2% > 0\.1%/);
    expect(headline.tone).toBe('error');
  });

  it('says an aborted rollout and what serves traffic', () => {
    const env = production({ rollouts: [abortedRollout] });
    expect(environmentHeadline(env).text).toMatch(
      /was aborted in production; .* serves all traffic/,
    );
  });

  it('collapses an environment with nothing changing to no promotion pending', () => {
    const dev = checkoutOverview().environments[0];
    const headline = environmentHeadline(dev);
    expect(headline.changing).toBe(false);
    expect(headline.text).toMatch(/ in dev, .*; no promotion pending\.$/);
    const promoted = production({
      rollouts: [{ ...canaryRollout(), fullyPromoted: true }],
    });
    expect(environmentHeadline(promoted).changing).toBe(false);
  });

  it('reads versions from tags and digests', () => {
    expect(imageVersion('ghcr.io/acme/checkout:1.5.0')).toBe('1.5.0');
    expect(imageVersion('localhost:5000/checkout')).toBe('latest');
    expect(imageVersion('ghcr.io/acme/checkout@sha256:abcdef0123456789')).toBe(
      'sha256:abcdef0',
    );
    expect(
      gateDetail({
        name: 'canary-error-rate',
        kind: 'slo',
        outcome: 'fail',
        blocking: true,
        reason: '',
        evidence: [
          {
            label: 'error-rate (canary)',
            value: 0.002,
            threshold: 0.001,
            comparison: 'below',
            unit: 'ratio',
          },
        ],
      }),
    ).toBe('0.2% > 0.1%');
    // a count against its limit is named, not "1 of 0"
    expect(
      gateDetail({
        name: 'no-high-or-critical-cves',
        kind: 'vulnerabilities',
        outcome: 'fail',
        blocking: true,
        reason: '',
        evidence: [{ label: 'CRITICAL findings', value: 1, threshold: 0 }],
      }),
    ).toBe('CRITICAL findings 1, threshold 0');
  });
});
