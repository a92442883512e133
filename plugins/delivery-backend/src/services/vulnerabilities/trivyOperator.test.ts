import {
  podImageDigests,
  podRefs,
  vulnerabilityReportRefs,
  type TreeNode,
} from './resourceTree';
import { parseOperatorReport } from './trivyOperatorReport';
import { OTHER_DIGEST, readFixture } from './__testUtils__/fixtures';

// nginx-docs fixture: the report of ReplicaSet nginx-6d4cf56db6 (2 CRITICAL)
const tree: TreeNode[] = [
  {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Rollout',
    namespace: 'default',
    name: 'nginx',
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    namespace: 'default',
    name: 'nginx-6d4cf56db6',
    parentRefs: [
      {
        group: 'argoproj.io',
        kind: 'Rollout',
        namespace: 'default',
        name: 'nginx',
      },
    ],
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    namespace: 'default',
    name: 'nginx-55f8b9c7d4',
    parentRefs: [
      {
        group: 'argoproj.io',
        kind: 'Rollout',
        namespace: 'default',
        name: 'nginx',
      },
    ],
  },
  {
    group: 'aquasecurity.github.io',
    version: 'v1alpha1',
    kind: 'VulnerabilityReport',
    namespace: 'default',
    name: 'replicaset-nginx-6d4cf56db6-nginx',
    parentRefs: [
      {
        group: 'apps',
        kind: 'ReplicaSet',
        namespace: 'default',
        name: 'nginx-6d4cf56db6',
      },
    ],
  },
  {
    version: 'v1',
    kind: 'Pod',
    namespace: 'default',
    name: 'nginx-6d4cf56db6-abcde',
    parentRefs: [
      {
        group: 'apps',
        kind: 'ReplicaSet',
        namespace: 'default',
        name: 'nginx-6d4cf56db6',
      },
    ],
  },
  // same name in another namespace: not ours
  {
    group: 'aquasecurity.github.io',
    version: 'v1alpha1',
    kind: 'VulnerabilityReport',
    namespace: 'other',
    name: 'replicaset-nginx-6d4cf56db6-nginx',
    parentRefs: [
      {
        group: 'apps',
        kind: 'ReplicaSet',
        namespace: 'other',
        name: 'nginx-6d4cf56db6',
      },
    ],
  },
];
const rollout = { name: 'nginx', namespace: 'default' };

describe('Trivy Operator reports from the resource tree', () => {
  it('finds the VulnerabilityReport children of the revision ReplicaSet', () => {
    expect(vulnerabilityReportRefs(tree, rollout, '6d4cf56db6')).toEqual([
      {
        group: 'aquasecurity.github.io',
        version: 'v1alpha1',
        kind: 'VulnerabilityReport',
        namespace: 'default',
        name: 'replicaset-nginx-6d4cf56db6-nginx',
      },
    ]);
    expect(vulnerabilityReportRefs(tree, rollout, '55f8b9c7d4')).toEqual([]);
    expect(podRefs(tree, rollout, '6d4cf56db6').map(r => r.name)).toEqual([
      'nginx-6d4cf56db6-abcde',
    ]);
  });

  it('reads a VulnerabilityReport manifest', () => {
    const report = parseOperatorReport(
      readFixture('trivy/vulnerabilityreport-replicaset-nginx-docs.yaml'),
    )!;
    expect(report.image).toBe('index.docker.io/library/nginx:1.16');
    expect(report.container).toBe('nginx');
    expect(report.findings).toEqual([
      expect.objectContaining({
        id: 'CVE-2019-20367',
        severity: 'CRITICAL',
        packageName: 'libbsd0',
        fixable: true,
        fixedVersion: '0.9.1-2+deb10u1',
        source: 'trivy-operator',
      }),
      expect.objectContaining({
        id: 'CVE-2018-25009',
        severity: 'CRITICAL',
        fixable: false,
        url: 'https://avd.aquasec.com/nvd/cve-2018-25009',
      }),
    ]);
    const many = parseOperatorReport(
      readFixture('trivy/vulnerabilityreport-replicaset-nginx-many.json'),
    )!;
    expect(many.findings).toHaveLength(41);
    expect(parseOperatorReport({ kind: 'Pod' })).toBeUndefined();
  });

  it('reads image digests from a live Pod', () => {
    expect(
      podImageDigests({
        status: {
          containerStatuses: [
            {
              image: 'ghcr.io/acme/payments:1.3.0',
              imageID: `docker-pullable://ghcr.io/acme/payments@${OTHER_DIGEST}`,
            },
            { image: 'busybox', imageID: '' },
          ],
        },
      }),
    ).toEqual({ 'ghcr.io/acme/payments:1.3.0': OTHER_DIGEST });
  });
});
