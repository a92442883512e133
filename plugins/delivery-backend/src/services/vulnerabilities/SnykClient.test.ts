import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createSnykClient, type SnykConfig } from './SnykClient';
import { readFixture } from './__testUtils__/fixtures';

const BASE = 'http://snyk.test/snyk/rest';
const server = setupServer();
registerMswTestHooks(server);

const config: SnykConfig = {
  url: BASE,
  token: 'super-secret-snyk-token',
  apiVersion: '2024-10-15',
  timeoutMs: 1000,
  maxPages: 5,
};

function page(file: string, next?: string) {
  const body = readFixture(`snyk/${file}`);
  body.links = { ...body.links, next };
  return body;
}

describe('SnykClient', () => {
  it('finds the container project by image name with the version param and token', async () => {
    let seen: Request | undefined;
    server.use(
      http.get(`${BASE}/orgs/sandbox-org/projects`, ({ request }) => {
        seen = request;
        return HttpResponse.json({ data: [{ id: 'proj-1', type: 'project' }] });
      }),
    );
    expect(
      await createSnykClient(config).findProject(
        'sandbox-org',
        'ghcr.io/acme/payments:1.2.0',
      ),
    ).toEqual({ id: 'proj-1' });
    const url = new URL(seen!.url);
    expect(url.searchParams.get('version')).toBe('2024-10-15');
    expect(url.searchParams.get('names')).toBe('ghcr.io/acme/payments:1.2.0');
    expect(seen!.headers.get('authorization')).toBe(
      'token super-secret-snyk-token',
    );
  });

  it('follows links.next across pages on the configured base only', async () => {
    const calls: string[] = [];
    server.use(
      http.get(`${BASE}/orgs/sandbox-org/issues`, ({ request }) => {
        const url = new URL(request.url);
        calls.push(url.search);
        expect(url.searchParams.get('version')).toBe('2024-10-15');
        if (url.searchParams.get('starting_after') === 'p2') {
          const second = page('rest-issues-single-vuln.json');
          second.data[0].attributes.ignored = false;
          return HttpResponse.json(second);
        }
        expect(url.searchParams.get('scan_item.id')).toBe('proj-1');
        expect(url.searchParams.get('scan_item.type')).toBe('project');
        // Snyk's links are paths from the host root, e.g. /rest/orgs/...
        return HttpResponse.json(
          page(
            'rest-issues-many-vuln.json',
            '/snyk/rest/orgs/sandbox-org/issues?limit=100&starting_after=p2',
          ),
        );
      }),
    );
    const result = await createSnykClient(config).listIssues(
      'sandbox-org',
      'proj-1',
    );
    expect(calls).toHaveLength(2);
    expect(result.truncated).toBe(false);
    // page 1: one open issue, three ignored and one resolved (left out)
    expect(result.findings).toHaveLength(2);
    expect(result.findings[1]).toEqual({
      id: 'CVE-2023-4863',
      severity: 'CRITICAL',
      packageName: 'pillow',
      installedVersion: '9.5.0',
      fixable: true,
      title: expect.any(String),
      url: 'https://security.snyk.io/vuln/SNYK-PYTHON-PILLOW-5918878',
      source: 'snyk',
    });
    expect(result.findings[0].id).toBe('SNYK-PYTHON-PILLOW-6219984');
    expect(result.updatedAt).toMatch(/^20\d\d-/);
  });

  it('stops at the page cap and says so', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/orgs/sandbox-org/issues`, () => {
        calls++;
        return HttpResponse.json(
          page(
            'rest-issues-single-vuln.json',
            `/snyk/rest/orgs/sandbox-org/issues?starting_after=c${calls}`,
          ),
        );
      }),
    );
    const result = await createSnykClient({
      ...config,
      maxPages: 3,
    }).listIssues('sandbox-org', 'proj-1');
    expect(calls).toBe(3);
    expect(result.truncated).toBe(true);
  });

  it('never follows a next link to another path', async () => {
    server.use(
      http.get(`${BASE}/orgs/sandbox-org/issues`, () =>
        HttpResponse.json(
          page('rest-issues-single-vuln.json', 'http://evil.test/collect?x=1'),
        ),
      ),
    );
    await expect(
      createSnykClient(config).listIssues('sandbox-org', 'proj-1'),
    ).rejects.toThrow('Snyk: unexpected links.next path /collect');
  });

  it('explains a 401 and a timeout without the token', async () => {
    server.use(
      http.get(`${BASE}/orgs/sandbox-org/issues`, () =>
        HttpResponse.json(
          {
            jsonapi: { version: '1.0' },
            errors: [{ status: '401', detail: 'Unauthorized' }],
          },
          { status: 401 },
        ),
      ),
    );
    const error = await createSnykClient(config)
      .listIssues('sandbox-org', 'p')
      .catch(e => e);
    expect(error.message).toBe('Snyk refused the configured token (HTTP 401)');

    server.use(
      http.get(`${BASE}/orgs/sandbox-org/issues`, async () => {
        await delay(500);
        return HttpResponse.json({ data: [] });
      }),
    );
    await expect(
      createSnykClient({ ...config, timeoutMs: 50 }).listIssues(
        'sandbox-org',
        'p',
      ),
    ).rejects.toThrow('Snyk: no answer within 50 ms');

    server.use(
      http.get(`${BASE}/orgs/sandbox-org/issues`, () =>
        HttpResponse.json(
          { errors: [{ status: '404', detail: 'Org not found' }] },
          { status: 404 },
        ),
      ),
    );
    await expect(
      createSnykClient(config).listIssues('sandbox-org', 'p'),
    ).rejects.toThrow('Snyk answered HTTP 404: Org not found');
  });

  it('refuses ids that could change the path', async () => {
    await expect(
      createSnykClient(config).listIssues('../admin', 'p'),
    ).rejects.toThrow('is not a valid id');
    await expect(
      createSnykClient(config).findProject('a/b', 'x'),
    ).rejects.toThrow('is not a valid id');
  });
});
