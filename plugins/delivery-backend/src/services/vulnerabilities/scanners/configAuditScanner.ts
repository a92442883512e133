import type { VulnerabilityFinding } from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  DeliveryScanner,
  ScanResourceRef,
  ScanTreeNode,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { replicaSetName } from '../resourceTree';
import { normalizeSeverity } from '../severity';

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** A Trivy Operator ConfigAuditReport, reduced to its failed checks. */
export interface ConfigAudit {
  /** The audited resource, e.g. `ReplicaSet/checkout-7d5979db69`. */
  resource: string;
  updatedAt?: string;
  findings: VulnerabilityFinding[];
}

/**
 * Reads a live `aquasecurity.github.io/v1alpha1` ConfigAuditReport: each
 * check that did not succeed is a finding (check id, severity, title or
 * its messages, the container it is scoped to). Undefined for anything else.
 */
export function parseConfigAuditReport(
  manifest: unknown,
  workload: string,
): ConfigAudit | undefined {
  const m = manifest as {
    kind?: unknown;
    metadata?: { name?: unknown; labels?: Record<string, unknown> };
    report?: { updateTimestamp?: unknown; checks?: unknown };
  };
  if (m?.kind !== 'ConfigAuditReport' || !m.report) return undefined;
  const labels = m.metadata?.labels ?? {};
  const kind = str(labels['trivy-operator.resource.kind']) ?? 'ReplicaSet';
  const name =
    str(labels['trivy-operator.resource.name']) ??
    str(m.metadata?.name)?.replace(/^replicaset-/, '') ??
    'unknown';
  const resource = `${kind}/${name}`;
  const checks = Array.isArray(m.report.checks) ? m.report.checks : [];
  const findings: VulnerabilityFinding[] = [];
  for (const raw of checks) {
    const c = raw as {
      checkID?: unknown;
      title?: unknown;
      messages?: unknown;
      severity?: unknown;
      success?: unknown;
      scope?: { type?: unknown; value?: unknown };
    };
    const id = str(c.checkID);
    if (!id || c.success !== false) continue;
    const messages = Array.isArray(c.messages)
      ? c.messages.filter((x): x is string => typeof x === 'string')
      : [];
    const container =
      str(c.scope?.type) === 'Container' ? str(c.scope?.value) : undefined;
    findings.push({
      id,
      title: str(c.title) ?? messages[0] ?? id,
      severity: normalizeSeverity(c.severity),
      // the workload, the same on both sides, so the canary delta is per check
      packageName: container ? `${workload}/${container}` : workload,
      location: container ? `${resource} (container ${container})` : resource,
      fixable: false,
      source: 'trivy-operator-config',
      layer: 'iac',
    });
  }
  return {
    resource,
    updatedAt: str(m.report.updateTimestamp),
    findings,
  };
}

/** The ConfigAuditReports the tree shows under the side's ReplicaSet. */
export function configAuditReportRefs(
  nodes: ReadonlyArray<ScanTreeNode>,
  rollout: { name: string; namespace: string },
  podTemplateHash: string,
): ScanResourceRef[] {
  const rs = replicaSetName(rollout.name, podTemplateHash);
  return nodes.flatMap(n =>
    n.kind === 'ConfigAuditReport' &&
    n.group === 'aquasecurity.github.io' &&
    n.name &&
    n.version &&
    (n.parentRefs ?? []).some(
      p =>
        p.kind === 'ReplicaSet' &&
        p.name === rs &&
        (p.namespace ?? rollout.namespace) === rollout.namespace,
    )
      ? [
          {
            group: n.group,
            version: n.version,
            kind: n.kind,
            namespace: n.namespace ?? rollout.namespace,
            name: n.name,
          },
        ]
      : [],
  );
}

/**
 * IaC from Trivy Operator: the failed checks of the ConfigAuditReports of
 * the side's ReplicaSet, read from the Application's resource tree.
 */
export function createConfigAuditScanner(): DeliveryScanner {
  return {
    id: 'trivy-operator-config',
    layer: 'iac',
    async scan(target) {
      const refs = configAuditReportRefs(
        target.treeNodes,
        target.rollout,
        target.podTemplateHash,
      );
      const workload = `${target.rollout.namespace}/${target.rollout.name}`;
      const reports = (
        await Promise.all(refs.map(ref => target.readResource(ref)))
      ).flatMap(m => parseConfigAuditReport(m, workload) ?? []);
      if (reports.length === 0) {
        return {
          status: 'no-report',
          message: `No ConfigAuditReport for ReplicaSet ${replicaSetName(
            target.rollout.name,
            target.podTemplateHash,
          )}`,
        };
      }
      return {
        status: 'report',
        findings: reports.flatMap(r => r.findings),
        createdAt: reports
          .flatMap(r => (r.updatedAt ? [r.updatedAt] : []))
          .sort()
          .at(-1),
      };
    },
  };
}
