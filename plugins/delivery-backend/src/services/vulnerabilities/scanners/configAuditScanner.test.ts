import type { ScanTarget } from '@gitops-delivery/backstage-plugin-delivery-node';
import { readFixture } from '../__testUtils__/fixtures';
import {
  configAuditReportRefs,
  createConfigAuditScanner,
  parseConfigAuditReport,
} from './configAuditScanner';

// Trivy Operator's documented ConfigAuditReport of ReplicaSet nginx-6d4cf56db6:
// two failed checks (privilegeEscalationAllowed CRITICAL, notReadOnlyRootFilesystem LOW)
const report = readFixture(
  'trivy/configauditreport-replicaset-nginx-docs.yaml',
);

const tree = [
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
    group: 'aquasecurity.github.io',
    version: 'v1alpha1',
    kind: 'ConfigAuditReport',
    namespace: 'default',
    name: 'replicaset-nginx-6d4cf56db6',
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
    group: 'aquasecurity.github.io',
    version: 'v1alpha1',
    kind: 'ConfigAuditReport',
    namespace: 'default',
    name: 'replicaset-nginx-55f8b9c7d4',
    parentRefs: [
      {
        group: 'apps',
        kind: 'ReplicaSet',
        namespace: 'default',
        name: 'nginx-55f8b9c7d4',
      },
    ],
  },
];

const rollout = {
  instance: 'main',
  application: 'nginx-production',
  namespace: 'default',
  name: 'nginx',
};

describe('Trivy Operator ConfigAuditReports (IaC layer)', () => {
  it('makes a finding of each failed check, never of a passed one', () => {
    const audit = parseConfigAuditReport(report, 'default/nginx')!;
    expect(audit.resource).toBe('ReplicaSet/nginx-6d4cf56db6');
    expect(audit.updatedAt).toBe('2021-05-20T12:38:10Z');
    expect(audit.findings).toEqual([
      {
        id: 'notReadOnlyRootFilesystem',
        title: 'Filesystem should be read only',
        severity: 'LOW',
        packageName: 'default/nginx/nginx',
        location: 'ReplicaSet/nginx-6d4cf56db6 (container nginx)',
        fixable: false,
        source: 'trivy-operator-config',
        layer: 'iac',
      },
      {
        id: 'privilegeEscalationAllowed',
        title: 'Privilege escalation should not be allowed',
        severity: 'CRITICAL',
        packageName: 'default/nginx/nginx',
        location: 'ReplicaSet/nginx-6d4cf56db6 (container nginx)',
        fixable: false,
        source: 'trivy-operator-config',
        layer: 'iac',
      },
    ]);
    expect(parseConfigAuditReport({ kind: 'VulnerabilityReport' }, 'x')).toBe(
      undefined,
    );
  });

  it("reads the reports of the side's ReplicaSet from the resource tree", async () => {
    expect(configAuditReportRefs(tree, rollout, '6d4cf56db6')).toEqual([
      {
        group: 'aquasecurity.github.io',
        version: 'v1alpha1',
        kind: 'ConfigAuditReport',
        namespace: 'default',
        name: 'replicaset-nginx-6d4cf56db6',
      },
    ]);
    const read = jest.fn(async () => report);
    const scanner = createConfigAuditScanner();
    expect(scanner.layer).toBe('iac');
    const target = {
      rollout,
      side: 'canary',
      podTemplateHash: '6d4cf56db6',
      treeNodes: tree,
      readResource: read,
    } as unknown as ScanTarget;
    const result = await scanner.scan(target);
    expect(result).toMatchObject({
      status: 'report',
      createdAt: '2021-05-20T12:38:10Z',
    });
    expect(read).toHaveBeenCalledTimes(1);
    expect(
      await scanner.scan({ ...target, podTemplateHash: '7777777777' }),
    ).toEqual({
      status: 'no-report',
      message: 'No ConfigAuditReport for ReplicaSet nginx-7777777777',
    });
  });
});
