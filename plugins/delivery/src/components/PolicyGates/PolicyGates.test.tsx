import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { policyResponse } from '../../__fixtures__/signals';
import { PolicyGates } from './PolicyGates';

describe('PolicyGates', () => {
  it('lists every gate with an outcome word, reason and evidence', async () => {
    await renderInTestApp(
      <PolicyGates
        state={{ value: policyResponse, loading: false, retry: () => {} }}
      />,
    );
    expect(screen.getByText('Promotion blocked')).toBeInTheDocument();
    const items = within(
      screen.getByRole('list', { name: 'Gates of policy default' }),
    ).getAllByRole('listitem');
    expect(items.map(i => i.textContent)).toEqual([
      expect.stringContaining('no-critical-cves — pass'),
      expect.stringContaining('soak-time — fail'),
      expect.stringContaining('error-rate — unknown'),
    ]);
    expect(items[1]).toHaveTextContent('time at current step: 3 min < 10 min');
    expect(within(items[2]).getByRole('link')).toHaveTextContent(
      'error ratio: no data (threshold 0.001)',
    );
  });

  it('prints evidence in its unit, the threshold the same way, the exact value on hover', async () => {
    const evaluation = policyResponse.evaluations[0];
    await renderInTestApp(
      <PolicyGates
        state={{
          value: {
            ...policyResponse,
            evaluations: [
              {
                ...evaluation,
                gates: [
                  {
                    name: 'canary-error-rate',
                    kind: 'slo',
                    outcome: 'pass',
                    blocking: false,
                    reason: 'Canary error-rate is within its threshold',
                    evidence: [
                      {
                        label: 'error-rate (canary)',
                        value: 0.0003843816678132862,
                        threshold: 0.001,
                        comparison: 'below',
                        unit: 'ratio',
                      },
                      {
                        label: 'metric error-rate',
                        value: '[0.0004913112259819172]',
                      },
                    ],
                  },
                ],
              },
            ],
          },
          loading: false,
          retry: () => {},
        }}
      />,
    );
    const line = screen.getByText('error-rate (canary): 0.0384% ≤ 0.1%');
    expect(line).toHaveAttribute(
      'title',
      'exact: 0.0003843816678132862, threshold 0.001',
    );
    // an AnalysisRun measurement, in the unit of the SLO the metric is named after
    expect(screen.getByText('metric error-rate: 0.0491%')).toBeInTheDocument();
  });

  it('shows an environment without a rollout as no promotion pending, its canary gates not applicable', async () => {
    const evaluation = policyResponse.evaluations[0];
    await renderInTestApp(
      <PolicyGates
        state={{
          value: {
            ...policyResponse,
            evaluations: [
              {
                ...evaluation,
                rollout: undefined,
                allowed: true,
                promotionPending: false,
                gates: [
                  {
                    name: 'soak',
                    kind: 'soak',
                    outcome: 'not-applicable',
                    blocking: false,
                    reason:
                      'Not applicable: the environment has no rollout, so there is no canary to soak',
                    evidence: [],
                  },
                ],
              },
            ],
          },
          loading: false,
          retry: () => {},
        }}
      />,
    );
    expect(screen.getByText('No promotion pending')).toBeInTheDocument();
    expect(screen.queryByText(/Promotion blocked/)).not.toBeInTheDocument();
    expect(screen.getByRole('listitem')).toHaveTextContent(
      /soak — not applicable.*no rollout, so there is no canary/,
    );
    expect(screen.getByRole('listitem')).not.toHaveTextContent('not blocking');
  });

  it('explains an environment without a policy', async () => {
    await renderInTestApp(
      <PolicyGates
        state={{
          value: { ...policyResponse, evaluations: [] },
          loading: false,
          retry: () => {},
        }}
      />,
    );
    expect(screen.getByText(/No promotion policy applies/)).toBeInTheDocument();
  });
});
