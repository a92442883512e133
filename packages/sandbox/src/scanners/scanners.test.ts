import { parse } from 'yaml';
import { fixtureText } from 'delivery-test-data';
import { ARGO_AUTH, getJson, testSandbox } from '../testUtils';
import { shapeDiff } from '../shapeDiff';
import { imageDigest } from '../ids';
import type { Sandbox } from '../server';

const read = (...p: string[]) => fixtureText(p.join('/'));

describe('scanners and CI', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await testSandbox('demo');
  });
  afterAll(() => sandbox.close());

  const canaryDigest = imageDigest('ghcr.io/acme/payments', '2.1.0');
  const stableDigest = imageDigest('ghcr.io/acme/payments', '2.0.3');

  describe('Trivy report store', () => {
    it('serves a SchemaVersion 2 report per digest in the recorded shape', async () => {
      const res = await getJson(
        `${sandbox.url}/trivy/reports/${canaryDigest}.json`,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('x-sandbox')).toBe('true');
      // the buster golden was scanned from a tar; registry scans add RepoDigests
      const buster = JSON.parse(
        read('trivy', 'trivy-image-debian-buster.json'),
      );
      const withDigests = JSON.parse(
        read('trivy', 'trivy-image-alpine-3.10.2-repodigests.json'),
      );
      const recorded = {
        ...buster,
        Metadata: {
          ...buster.Metadata,
          RepoDigests: withDigests.Metadata.RepoDigests,
        },
      };
      expect(shapeDiff(res.body, recorded)).toEqual([]);
      expect(res.body).toMatchObject({
        SchemaVersion: 2,
        ArtifactName: 'ghcr.io/acme/payments:2.1.0',
        ArtifactType: 'container_image',
        Metadata: { RepoDigests: [`ghcr.io/acme/payments@${canaryDigest}`] },
      });
      const severities = res.body.Results[0].Vulnerabilities.map(
        (v: any) => v.Severity,
      );
      expect(severities).toContain('CRITICAL');
      const stable = await getJson(
        `${sandbox.url}/trivy/reports/${stableDigest}.json`,
      );
      expect(
        stable.body.Results[0].Vulnerabilities.map((v: any) => v.Severity),
      ).not.toContain('CRITICAL');
    });

    it('answers 404 for an unknown digest or a malformed path', async () => {
      expect(
        (
          await getJson(
            `${sandbox.url}/trivy/reports/sha256:${'0'.repeat(64)}.json`,
          )
        ).status,
      ).toBe(404);
      expect(
        (await getJson(`${sandbox.url}/trivy/reports/latest.json`)).status,
      ).toBe(404);
    });

    it('puts a VulnerabilityReport in the recorded shape under each ReplicaSet', async () => {
      const tree = await getJson(
        `${sandbox.url}/argocd/main/api/v1/applications/payments-production/resource-tree`,
        {
          headers: ARGO_AUTH,
        },
      );
      const reports = tree.body.nodes.filter(
        (n: any) => n.kind === 'VulnerabilityReport',
      );
      const replicaSets = tree.body.nodes.filter(
        (n: any) => n.kind === 'ReplicaSet',
      );
      expect(reports.map((r: any) => r.parentRefs[0].name).sort()).toEqual(
        replicaSets.map((r: any) => r.name).sort(),
      );
      const canaryReport = reports.find((r: any) =>
        r.parentRefs[0].name.endsWith(replicaSets[1].name.split('-').pop()),
      );
      const live = await getJson(
        `${sandbox.url}/argocd/main/api/v1/applications/payments-production/resource?namespace=payments&resourceName=${canaryReport.name}&group=aquasecurity.github.io&kind=VulnerabilityReport&version=v1alpha1`,
        { headers: ARGO_AUTH },
      );
      const manifest = JSON.parse(live.body.manifest);
      const docs = parse(
        read('trivy', 'vulnerabilityreport-replicaset-nginx-docs.yaml'),
      ).report;
      const cluster = JSON.parse(
        read('trivy', 'vulnerabilityreport-replicaset-nginx-many.json'),
      ).report;
      // artifact.digest is in the v0.32 CRD (UPSTREAM-APIS.md section 4),
      // though no recorded report carries one
      const recorded = {
        ...cluster,
        ...docs,
        summary: cluster.summary,
        artifact: { ...docs.artifact, digest: 'sha256:x' },
      };
      expect(shapeDiff(manifest.report, recorded)).toEqual([]);
      expect(manifest.metadata.labels['trivy-operator.resource.kind']).toBe(
        'ReplicaSet',
      );
      expect(manifest.report.summary.criticalCount).toBe(1);
    });
  });

  describe('Snyk REST', () => {
    const snyk = (path: string, token: string | null = 'sandbox-snyk-token') =>
      getJson(`${sandbox.url}/snyk/rest${path}`, {
        headers: token ? { authorization: `token ${token}` } : {},
      });

    it('requires a token and a version', async () => {
      const anonymous = await snyk(
        '/orgs/sandbox-org/issues?version=2024-10-15',
        null,
      );
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.errors[0].status).toBe('401');
      const noVersion = await snyk('/orgs/sandbox-org/issues');
      expect(noVersion.status).toBe(400);
      expect(noVersion.body.jsonapi).toEqual({ version: '1.0' });
    });

    it('finds the container project and pages its issues with links.next', async () => {
      const projects = await snyk(
        '/orgs/sandbox-org/projects?version=2024-10-15&names=ghcr.io/acme/payments:2.1.0',
      );
      expect(projects.status).toBe(200);
      expect(projects.headers.get('content-type')).toBe(
        'application/vnd.api+json',
      );
      expect(projects.body.data).toHaveLength(1);
      const projectId = projects.body.data[0].id;
      const seen: any[] = [];
      let next:
        | string
        | undefined = `/snyk/rest/orgs/sandbox-org/issues?version=2024-10-15&scan_item.id=${projectId}&scan_item.type=project&limit=1`;
      let pages = 0;
      while (next && pages < 10) {
        const page = await getJson(`${sandbox.url}${next}`, {
          headers: { authorization: 'token sandbox-snyk-token' },
        });
        expect(page.status).toBe(200);
        seen.push(...page.body.data);
        next = page.body.links.next;
        pages++;
      }
      expect(pages).toBe(4);
      expect(new Set(seen.map(i => i.id)).size).toBe(4);
      expect(seen.map(i => i.attributes.effective_severity_level)).toContain(
        'critical',
      );
      const recorded = JSON.parse(read('snyk', 'rest-issues-single-vuln.json'));
      const first = await snyk(
        `/orgs/sandbox-org/issues?version=2024-10-15&scan_item.id=${projectId}&scan_item.type=project&limit=100`,
      );
      expect(shapeDiff(first.body, recorded)).toEqual([]);
      const critical = await snyk(
        `/orgs/sandbox-org/issues?version=2024-10-15&scan_item.id=${projectId}&scan_item.type=project&effective_severity_level=critical`,
      );
      expect(critical.body.data).toHaveLength(1);
    });
  });

  describe('GitHub Actions', () => {
    it('lists the run of a head sha and its five jobs', async () => {
      const app = await getJson(
        `${sandbox.url}/argocd/main/api/v1/applications/payments-production`,
        { headers: ARGO_AUTH },
      );
      const sha = app.body.status.sync.revision;
      const runs = await getJson(
        `${sandbox.url}/github/repos/acme/payments/actions/runs?head_sha=${sha}`,
      );
      expect(runs.status).toBe(200);
      expect(runs.body.total_count).toBe(1);
      const run = runs.body.workflow_runs[0];
      expect(run).toMatchObject({
        head_sha: sha,
        status: 'completed',
        conclusion: 'failure',
      });
      const jobs = await getJson(
        `${sandbox.url}/github/repos/acme/payments/actions/runs/${run.id}/jobs`,
      );
      expect(jobs.body.jobs.map((j: any) => j.name)).toEqual([
        'build',
        'test',
        'sast',
        'container-build',
        'image-scan',
      ]);
      expect(jobs.body.jobs.map((j: any) => j.conclusion)).toEqual([
        'success',
        'success',
        'success',
        'success',
        'failure',
      ]);
      const healthy = await getJson(
        `${sandbox.url}/github/repos/acme/checkout/actions/runs`,
      );
      expect(
        healthy.body.workflow_runs.every(
          (r: any) => r.conclusion === 'success',
        ),
      ).toBe(true);
      expect(
        (await getJson(`${sandbox.url}/github/repos/acme/nope/actions/runs`))
          .status,
      ).toBe(404);
    });
  });
});
