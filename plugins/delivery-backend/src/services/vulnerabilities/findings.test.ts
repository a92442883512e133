import type { VulnerabilityFinding } from '@gitops-delivery/backstage-plugin-delivery-common';
import { mergeFindings, newInCanary } from './findingsDelta';
import { imageName, parseImageReference } from './imageReference';
import {
  fixableCounts,
  normalizeSeverity,
  severityCounts,
  sortFindings,
} from './severity';
import { OTHER_DIGEST } from './__testUtils__/fixtures';

const f = (
  id: string,
  severity: VulnerabilityFinding['severity'],
  fixable = false,
  packageName = 'openssl',
  source = 'trivy',
): VulnerabilityFinding => ({
  id,
  severity,
  packageName,
  fixable,
  source,
  fixedVersion: fixable ? '9.9' : undefined,
});

describe('severity and fixable counts', () => {
  it('counts per severity', () => {
    const findings = [
      f('a', 'CRITICAL', true),
      f('b', 'CRITICAL'),
      f('c', 'LOW', true),
      f('d', normalizeSeverity('moderate')),
    ];
    expect(severityCounts(findings)).toEqual({
      CRITICAL: 2,
      HIGH: 0,
      MEDIUM: 0,
      LOW: 1,
      UNKNOWN: 1,
    });
    expect(fixableCounts(findings)).toEqual({
      CRITICAL: 1,
      HIGH: 0,
      MEDIUM: 0,
      LOW: 1,
      UNKNOWN: 0,
    });
    expect(normalizeSeverity('high')).toBe('HIGH');
    expect(
      sortFindings([f('z', 'LOW'), f('b', 'CRITICAL'), f('a', 'CRITICAL')]).map(
        x => x.id,
      ),
    ).toEqual(['a', 'b', 'z']);
  });
});

describe('canary vs stable', () => {
  it('lists what only the canary has', () => {
    const stable = [f('CVE-1', 'HIGH'), f('CVE-2', 'LOW')];
    const canary = [
      f('CVE-1', 'HIGH'),
      f('CVE-3', 'CRITICAL'),
      f('CVE-2', 'LOW', false, 'zlib'),
    ];
    expect(
      newInCanary(canary, stable).map(x => `${x.id}/${x.packageName}`),
    ).toEqual(['CVE-3/openssl', 'CVE-2/zlib']);
  });

  it('merges scanners, counting a vulnerability once and keeping a known fix', () => {
    const merged = mergeFindings([
      [f('CVE-1', 'HIGH')],
      [
        f('CVE-1', 'HIGH', true, 'openssl', 'snyk'),
        f('CVE-4', 'LOW', false, 'x', 'snyk'),
      ],
    ]);
    expect(merged).toEqual([
      { ...f('CVE-1', 'HIGH'), fixable: true, fixedVersion: '9.9' },
      f('CVE-4', 'LOW', false, 'x', 'snyk'),
    ]);
  });
});

describe('parseImageReference', () => {
  it.each([
    [
      'ghcr.io/acme/payments:1.3.0',
      { repository: 'ghcr.io/acme/payments', tag: '1.3.0', digest: undefined },
    ],
    [
      `ghcr.io/acme/payments:1.3.0@${OTHER_DIGEST}`,
      {
        repository: 'ghcr.io/acme/payments',
        tag: '1.3.0',
        digest: OTHER_DIGEST,
      },
    ],
    [
      'registry:5000/app',
      { repository: 'registry:5000/app', digest: undefined },
    ],
    ['nginx@sha256:bad', { repository: 'nginx', digest: undefined }],
  ])('%s', (image, expected) => {
    expect(parseImageReference(image)).toEqual(expected);
  });

  it('names the image without its digest', () => {
    expect(imageName(parseImageReference(`a/b:1@${OTHER_DIGEST}`))).toBe(
      'a/b:1',
    );
  });
});
