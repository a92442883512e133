import { renderInTestApp } from '@backstage/test-utils';
import {
  SECURITY_LAYERS,
  type SecurityLayer,
  type SecurityLayerView,
  type SeverityCounts,
  type VulnerabilityFinding,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { screen, within } from '@testing-library/react';
import { SecurityLayers } from './SecurityLayers';
import { worstLayerOf } from './worstLayer';

jest.setTimeout(30_000);

const counts = (o: Partial<SeverityCounts> = {}): SeverityCounts => ({
  CRITICAL: 0,
  HIGH: 0,
  MEDIUM: 0,
  LOW: 0,
  UNKNOWN: 0,
  ...o,
});

const shell: VulnerabilityFinding = {
  id: 'Drop and execute new binary in container',
  title: 'Drop and execute new binary in container',
  severity: 'CRITICAL',
  packageName: 'checkout/checkout',
  location: 'checkout-7d5979db69-q8d4z',
  occurrences: 3,
  fixable: false,
  source: 'falco',
  layer: 'runtime',
};
const rootFs: VulnerabilityFinding = {
  id: 'KSV014',
  title: 'Root file system is not read-only',
  severity: 'HIGH',
  packageName: 'checkout',
  location: 'ReplicaSet/checkout-7d5979db69',
  fixable: false,
  source: 'trivy-operator-config',
  layer: 'iac',
  url: 'https://avd.aquasec.com/misconfig/ksv014',
};
const cve: VulnerabilityFinding = {
  id: 'CVE-2026-1234',
  severity: 'MEDIUM',
  packageName: 'openssl',
  installedVersion: '3.0.1',
  fixedVersion: '3.0.9',
  fixable: true,
  source: 'trivy',
};

const base = (layer: SecurityLayer): SecurityLayerView => ({
  layer,
  state: 'clean',
  sources: [{ source: `${layer}-scanner`, status: 'ok' }],
  counts: counts(),
  stableCounts: counts(),
  newInCanaryCounts: counts(),
  findings: [],
  newInCanary: [],
  links: [],
});

const layers: SecurityLayerView[] = SECURITY_LAYERS.map(layer => {
  switch (layer) {
    case 'sast':
      return {
        ...base(layer),
        state: 'unknown',
        sources: [],
        stableCounts: undefined,
        message: 'No sast source is configured',
      };
    case 'sca':
      return {
        ...base(layer),
        state: 'source-error',
        sources: [
          { source: 'dependabot', status: 'error', message: 'GitHub 503' },
        ],
        message: 'dependabot: GitHub 503',
      };
    case 'image':
      return {
        ...base(layer),
        state: 'findings',
        counts: counts({ MEDIUM: 1 }),
        stableCounts: counts({ MEDIUM: 1 }),
        findings: [cve],
      };
    case 'runtime':
      return {
        ...base(layer),
        sources: [{ source: 'falco', status: 'ok' }],
        state: 'findings',
        counts: counts({ CRITICAL: 1 }),
        newInCanaryCounts: counts({ CRITICAL: 1 }),
        findings: [shell],
        newInCanary: [shell],
        links: [{ title: 'Falco events', url: 'https://falco.example/' }],
      };
    default:
      return {
        ...base(layer),
        state: 'findings',
        counts: counts({ HIGH: 1 }),
        stableCounts: counts({ HIGH: 1 }),
        findings: [rootFs],
      };
  }
});

describe('SecurityLayers', () => {
  it('shows a tile per layer with its source, state, counts, delta and links', async () => {
    await renderInTestApp(<SecurityLayers layers={layers} />);
    const tiles = SECURITY_LAYERS.map(l =>
      screen.getByRole('region', {
        name: {
          sast: 'Code (SAST)',
          sca: 'Dependencies (SCA)',
          image: 'Image',
          runtime: 'Runtime',
          iac: 'Infrastructure (IaC)',
        }[l],
      }),
    );
    const [sast, sca, image, runtime, iac] = tiles;
    expect(sast).toHaveTextContent('source: no source configured');
    expect(sast).toHaveTextContent('unknown');
    expect(sast).toHaveTextContent('No sast source is configured');
    // an unknown layer shows no zero counts that would read as clean
    expect(within(sast).queryByRole('list')).toBeNull();
    expect(sca).toHaveTextContent('source error');
    expect(sca).toHaveTextContent('source: dependabot (error)');
    expect(image).toHaveTextContent('The canary adds nothing over stable.');
    expect(runtime).toHaveTextContent('source: falco');
    expect(
      within(runtime).getByRole('list', {
        name: 'Runtime findings by severity',
      }),
    ).toHaveTextContent('CRITICAL 1');
    expect(runtime).toHaveTextContent('New in the canary: 1 CRITICAL');
    expect(
      within(runtime).getByRole('link', { name: /Falco events/ }),
    ).toHaveAttribute('href', 'https://falco.example/');
    expect(iac).toHaveTextContent('findings');
  });

  it('names the worst layer: the highest severity, then errors; never a layer without a source', () => {
    expect(worstLayerOf(layers)?.layer).toBe('runtime');
    expect(worstLayerOf(layers.filter(l => l.layer !== 'runtime'))?.layer).toBe(
      'iac',
    );
    expect(
      worstLayerOf(layers.filter(l => ['sast', 'sca'].includes(l.layer)))
        ?.layer,
    ).toBe('sca');
    expect(worstLayerOf(layers.filter(l => l.layer === 'sast'))).toBe(
      undefined,
    );
  });
});
