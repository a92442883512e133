import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import {
  recreateDeployment,
  rollingDeployment,
  stuckDeployment,
} from '../../__fixtures__/deployments';
import { DeploymentCard, DeploymentPanel } from './DeploymentPanel';

const cells = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .map(row =>
      within(row)
        .queryAllByRole('cell')
        .map(c => c.textContent),
    )
    .filter(r => r.length > 0);

describe('DeploymentPanel', () => {
  it('shows a rolling update in progress: replicas, limits, deadline and ReplicaSets', async () => {
    await renderInTestApp(<DeploymentPanel deployment={rollingDeployment} />);
    expect(screen.getByText('Rolling update progressing')).toBeInTheDocument();
    expect(
      screen.getByText('Rolling update (max surge 25%, max unavailable 25%)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Waiting for rollout to finish: 1 old replicas are pending termination',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', {
        name: 'Replicas of guestbook-ui: 1 of 1 updated, 1 available',
      }),
    ).toBeInTheDocument();
    expect(
      cells(screen.getByRole('table', { name: 'Replicas of guestbook-ui' })),
    ).toEqual([['1', '2', '1', '1', '1', '1']]);
    expect(screen.getByText(/^Progress deadline 10 min/)).toHaveTextContent(
      'unless the rollout progresses',
    );
    expect(
      screen.getByText(/^Progress deadline/).querySelector('time'),
    ).toHaveAttribute('dateTime', '2018-07-18T06:29:22.000Z');
    expect(
      cells(screen.getByRole('table', { name: 'ReplicaSets of guestbook-ui' })),
    ).toEqual([
      [
        'guestbook-ui-75dd4d49d5 (new)',
        '4',
        'gcr.io/heptio-images/ks-guestbook-demo:0.3',
        '0/1',
      ],
      [
        'guestbook-ui-6b7c9d8f4c (old)',
        '3',
        'gcr.io/heptio-images/ks-guestbook-demo:0.2',
        '1/1',
      ],
    ]);
    expect(screen.queryByText(/Down for/)).not.toBeInTheDocument();
  });

  it('shows a stuck rollout with its ProgressDeadlineExceeded condition', async () => {
    await renderInTestApp(<DeploymentPanel deployment={stuckDeployment} />);
    expect(screen.getByText('Rolling update stuck')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Stuck: ProgressDeadlineExceeded — ReplicaSet "guestbook-ui-75dd4d49d5" has timed out progressing. (no progress for 10 min)',
    );
    // without ReplicaSets in the tree, the images still show
    expect(
      screen.getByText('New: gcr.io/heptio-images/ks-guestbook-demo:0.3'),
    ).toBeInTheDocument();
  });

  it('shows a Recreate with its downtime so far', async () => {
    await renderInTestApp(<DeploymentPanel deployment={recreateDeployment} />);
    expect(screen.getByText('Recreate progressing')).toBeInTheDocument();
    expect(screen.getByText('Recreate')).toBeInTheDocument();
    expect(screen.getByText(/^Down for/)).toHaveTextContent(
      /^Down for 1 min 30 s: no replica available since \d{2}:\d{2}:\d{2} \(Recreate stops the old Pods before it starts the new ones\)$/,
    );
    expect(
      cells(screen.getByRole('table', { name: 'Replicas of mysql' })),
    ).toEqual([['1', '1', '1', '0', '0', '1']]);
  });

  it('is a card with no action: nothing to promote or abort', async () => {
    await renderInTestApp(
      <DeploymentCard environment="dev" deployment={rollingDeployment} />,
    );
    expect(
      screen.getByText('Deployment guestbook-ui · dev'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'A plain Kubernetes Deployment: no canary to promote or abort',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });
});
