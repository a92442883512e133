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
    expect(items[1]).toHaveTextContent('soaked seconds: 180 (threshold 600)');
    expect(within(items[2]).getByRole('link')).toHaveTextContent(
      'error ratio: no data (threshold 0.001)',
    );
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
