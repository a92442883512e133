import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createTrivyReportClient } from './TrivyReportClient';
import {
  ALPINE_DIGEST,
  OTHER_DIGEST,
  readFixture,
} from './__testUtils__/fixtures';

const BASE = 'http://trivy.test/reports';
const server = setupServer();
// msw reads `:...` in a path as a parameter, so the digest's colon needs a RegExp
const reportPath = (digest: string) =>
  new RegExp(`^${BASE}/${digest}\\.json$`.replace(/[/:]/g, c => `\\${c}`));
registerMswTestHooks(server);

const client = (timeoutMs = 1000) =>
  createTrivyReportClient({
    reportStoreUrl: `${BASE}/`,
    headers: { Authorization: 'Bearer super-secret-trivy-token' },
    timeoutMs,
  });

describe('TrivyReportClient', () => {
  it('reads the report of the digest from <base>/<digest>.json', async () => {
    let auth: string | null = null;
    server.use(
      http.get(reportPath(ALPINE_DIGEST), ({ request }) => {
        auth = request.headers.get('authorization');
        return HttpResponse.json(
          readFixture('trivy/trivy-image-alpine-3.10.2-repodigests.json'),
        );
      }),
    );
    const result = await client().getReport(ALPINE_DIGEST);
    expect(auth).toBe('Bearer super-secret-trivy-token');
    expect(result).toEqual({
      kind: 'report',
      createdAt: undefined,
      findings: [
        expect.objectContaining({
          id: 'CVE-2019-1549',
          packageName: 'openssl',
          installedVersion: '1.1.1c-r0',
          fixedVersion: '1.1.1d-r0',
          fixable: true,
          severity: 'UNKNOWN',
          source: 'trivy',
        }),
        expect.objectContaining({
          id: 'CVE-2019-1547',
          packageName: 'openssl',
        }),
      ],
    });
  });

  it('reads severities, titles, links and unfixed findings', async () => {
    const report = readFixture('trivy/trivy-image-debian-buster.json');
    report.Metadata.RepoDigests = [`ghcr.io/acme/payments@${OTHER_DIGEST}`];
    server.use(
      http.get(reportPath(OTHER_DIGEST), () => HttpResponse.json(report)),
    );
    const result = await client().getReport(OTHER_DIGEST);
    expect(result.kind === 'report' && result.findings).toEqual([
      expect.objectContaining({
        id: 'CVE-2019-18276',
        severity: 'LOW',
        packageName: 'bash',
        fixable: false,
        fixedVersion: undefined,
        url: 'https://avd.aquasec.com/nvd/cve-2019-18276',
      }),
      expect.objectContaining({
        id: 'CVE-2019-18224',
        severity: 'CRITICAL',
        fixable: true,
        fixedVersion: '2.0.5-1+deb10u1',
      }),
    ]);
    expect(result.kind === 'report' && result.createdAt).toBe(
      '2021-08-25T12:20:30.000000005Z',
    );
  });

  it('ignores a report for another digest or one that names none', async () => {
    server.use(
      http.get(reportPath(OTHER_DIGEST), () =>
        HttpResponse.json(
          readFixture('trivy/trivy-image-alpine-3.10.2-repodigests.json'),
        ),
      ),
      http.get(reportPath(ALPINE_DIGEST), () =>
        HttpResponse.json(readFixture('trivy/trivy-image-debian-buster.json')),
      ),
    );
    expect(await client().getReport(OTHER_DIGEST)).toEqual({
      kind: 'ignored',
      reason: `the report is for ${ALPINE_DIGEST}, not ${OTHER_DIGEST}`,
    });
    expect(await client().getReport(ALPINE_DIGEST)).toEqual({
      kind: 'ignored',
      reason: `the report names no image digest, so it cannot be matched to ${ALPINE_DIGEST}`,
    });
  });

  it('reads an empty report as no findings and a 404 as no report', async () => {
    const report = readFixture(
      'trivy/trivy-image-alpine-3.10.2-repodigests.json',
    );
    report.Results = [{ Target: 'alpine', Vulnerabilities: null }];
    server.use(
      http.get(reportPath(ALPINE_DIGEST), () => HttpResponse.json(report)),
      http.get(
        reportPath(OTHER_DIGEST),
        () => new HttpResponse(null, { status: 404 }),
      ),
    );
    expect(await client().getReport(ALPINE_DIGEST)).toEqual({
      kind: 'report',
      findings: [],
      createdAt: undefined,
    });
    expect(await client().getReport(OTHER_DIGEST)).toEqual({ kind: 'missing' });
  });

  it('explains a 401, a timeout and a server error without the credentials', async () => {
    server.use(
      http.get(
        reportPath(ALPINE_DIGEST),
        () => new HttpResponse(null, { status: 401 }),
      ),
    );
    const unauthorized = await client()
      .getReport(ALPINE_DIGEST)
      .catch(e => e);
    expect(unauthorized.message).toBe(
      'Trivy report store refused the configured credentials (HTTP 401)',
    );

    server.use(
      http.get(reportPath(ALPINE_DIGEST), async () => {
        await delay(500);
        return HttpResponse.json({});
      }),
    );
    await expect(client(50).getReport(ALPINE_DIGEST)).rejects.toThrow(
      'Trivy report store: no answer within 50 ms',
    );

    server.use(
      http.get(
        reportPath(ALPINE_DIGEST),
        () => new HttpResponse('oops', { status: 500 }),
      ),
    );
    const failed = await client()
      .getReport(ALPINE_DIGEST)
      .catch(e => e);
    expect(failed.message).toBe('Trivy report store answered HTTP 500');
    expect(`${unauthorized.message}${failed.message}`).not.toContain(
      'super-secret',
    );
  });

  it('refuses anything but a sha256 digest before calling the store', async () => {
    await expect(client().getReport('sha256:../../etc/passwd')).rejects.toThrow(
      /is not a sha256 digest/,
    );
    await expect(
      client().getReport(`sha256:${'A'.repeat(64)}`),
    ).rejects.toThrow(/is not a sha256 digest/);
  });
});
