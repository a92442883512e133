import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { blueGreenRollout } from '../../__fixtures__/overview';
import {
  blueGreenAnalysedRollout,
  experimentRollout,
  istioMirrorRollout,
  smiRollout,
} from '../../__fixtures__/strategies';
import { CanaryPanel } from './CanaryPanel';

describe('CanaryPanel strategy details', () => {
  it('shows the Istio router, the routed weight, canary scale and the mirror as shadow traffic', async () => {
    await renderInTestApp(<CanaryPanel rollout={istioMirrorRollout} />);
    const steps = within(
      screen.getByLabelText('Steps of istio-host-split'),
    ).getAllByRole('listitem');
    expect(steps.map(s => s.textContent)).toEqual([
      expect.stringContaining('Canary scale 50%'),
      expect.stringContaining('Mirror 50% (mirror-route)'),
      expect.stringContaining('Pause until promoted'),
    ]);
    const routing = screen.getByRole('region', { name: 'Traffic routing' });
    expect(within(routing).getByText('Istio')).toBeInTheDocument();
    expect(
      within(routing).getByText('istio-host-split-vsvc'),
    ).toBeInTheDocument();
    expect(within(routing).getByText('Healthy')).toBeInTheDocument();
    expect(routing).toHaveTextContent(
      'VirtualService istio-host-split-vsvc (namespace demo) · sends 0% to the canary',
    );
    expect(routing).toHaveTextContent(
      'The router sends 0% of requests to the canary; the steps set 0%.',
    );
    expect(routing).toHaveTextContent(
      'Canary scale: 50% of the replicas, independent of its traffic weight.',
    );
    const shadow = screen.getByRole('region', { name: 'Shadow traffic' });
    expect(shadow).toHaveTextContent(
      '50% of route mirror-route copied to the canary (responses discarded), from step 2 until the update ends',
    );
    expect(within(shadow).getByText('mirroring')).toBeInTheDocument();
  });

  it('does not speak of the canary share once the canary is promoted', async () => {
    await renderInTestApp(
      <CanaryPanel
        rollout={{
          ...istioMirrorRollout,
          fullyPromoted: true,
          currentStepIndex: 3,
          pause: undefined,
          phase: 'Healthy',
          canary: {
            ...istioMirrorRollout.canary!,
            setWeight: 100,
            routedWeight: 0,
            canaryScale: undefined,
            mirrors: [
              {
                name: 'mirror-route',
                percentage: 50,
                stepIndex: 1,
                active: false,
              },
            ],
          },
        }}
      />,
    );
    const routing = screen.getByRole('region', { name: 'Traffic routing' });
    expect(routing).not.toHaveTextContent('The router sends');
    expect(routing).not.toHaveTextContent('differs');
    const shadow = screen.getByRole('region', { name: 'Shadow traffic' });
    expect(within(shadow).getByText('ended')).toBeInTheDocument();
  });

  it('says when a router resource is missing and the stable scales dynamically', async () => {
    await renderInTestApp(<CanaryPanel rollout={smiRollout} />);
    const routing = screen.getByRole('region', { name: 'Traffic routing' });
    expect(within(routing).getByText('SMI')).toBeInTheDocument();
    expect(
      within(routing).getByText("not in the Application's resources"),
    ).toBeInTheDocument();
    expect(routing).toHaveTextContent(
      'the stable scales down as the canary takes traffic (4 of 5 replicas at this weight)',
    );
    expect(
      screen.queryByRole('region', { name: 'Shadow traffic' }),
    ).not.toBeInTheDocument();
  });

  it('shows an Experiment step with its templates, replicas and analyses, and the background analysis', async () => {
    await renderInTestApp(<CanaryPanel rollout={experimentRollout} />);
    expect(
      within(screen.getByLabelText('Steps of canary-demo')).getByText(
        'Experiment (canary-preview)',
      ),
    ).toBeInTheDocument();
    const experiment = screen.getByRole('region', {
      name: 'Experiment canary-demo-645d5dbc4c-2-0',
    });
    const templates = within(experiment).getByRole('table', {
      name: 'Templates of canary-demo-645d5dbc4c-2-0',
    });
    expect(within(templates).getAllByRole('row')[1]).toHaveTextContent(
      /canary-preview\s*1 \/ 1\s*Running\s*argoproj\/rollouts-demo:blue/,
    );
    const analyses = within(experiment).getByRole('table', {
      name: 'Analyses of canary-demo-645d5dbc4c-2-0',
    });
    expect(within(analyses).getAllByRole('row')[1]).toHaveTextContent(
      /stress-test\s*stress-test\s*Running\s*canary-demo-645d5dbc4c-2-0-stress-test/,
    );
    expect(
      screen.getByText(/Background analysis \(random-fail\)/),
    ).toHaveTextContent('runs beside the steps from step 2');
    expect(
      screen.getByText(/No traffic router: the canary's share/),
    ).toBeInTheDocument();
  });

  it('shows a blue-green rollout waiting for a person, with the default scale-down delay', async () => {
    await renderInTestApp(
      <CanaryPanel
        rollout={{
          ...blueGreenRollout,
          blueGreen: {
            ...blueGreenRollout.blueGreen,
            autoPromotionEnabled: false,
            scaleDownDelaySeconds: 30,
            prePromotionAnalysis: [],
            postPromotionAnalysis: [],
          },
        }}
      />,
    );
    expect(
      screen.getByText('Waits for someone to promote the preview.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('The old version keeps running 30 s after the switch.'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('none configured')).toHaveLength(2);
  });

  it('shows pre- and post-promotion analysis and timed auto-promotion', async () => {
    await renderInTestApp(<CanaryPanel rollout={blueGreenAnalysedRollout} />);
    expect(
      screen.getByText('Promotes by itself 10 min after the preview is ready.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('The old version keeps running 2 min after the switch.'),
    ).toBeInTheDocument();
    expect(screen.getByText('smoke')).toBeInTheDocument();
    expect(screen.getByText('success-rate')).toBeInTheDocument();
    expect(
      screen.getByText('run inventory-9c8b7a6d5e-7-pre').parentElement,
    ).toHaveTextContent('Successful');
  });
});
