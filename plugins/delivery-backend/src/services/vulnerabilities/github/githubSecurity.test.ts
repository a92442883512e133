import { ConfigReader } from '@backstage/config';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import type { ScanTarget } from '@gitops-delivery/backstage-plugin-delivery-node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { SignalCache } from '../../signals/SignalCache';
import { readFixture } from '../__testUtils__/fixtures';
import { cachedScanner } from '../scanners/cachedScanner';
import { sideRevisions } from '../sideRevisions';
import { readVulnerabilitiesConfig } from '../vulnerabilitiesConfig';
import {
  codeScanningSeverity,
  createGithubSecurityClient,
  nextLink,
  parseAlert,
  parseDependabotAlert,
  type DependabotAlert,
} from './GithubSecurityClient';
import {
  codeScanningLayer,
  createCodeScanningScanners,
  createDependabotScanner,
  DEFAULT_IAC_TOOLS,
  dependabotAtCommit,
  dependabotFinding,
} from './githubSecurityScanners';

const API = 'http://github.test/api';
const REPO = `${API}/repos/octocat/hello-world`;
const TOKEN = 'ghp_secretgithubtoken123';
const server = setupServer();
registerMswTestHooks(server);

const noCache: SignalCache = {
  getOrLoad: (_key, _ttl, load) => load(),
} as SignalCache;

// GitHub's documented examples (packages/test-data/fixtures/github/SOURCES):
// alerts 4 (open) and 3 (dismissed) of js/zipslip, last seen at 39406e4 on
// refs/heads/main; analyses 201 (CodeQL, main, d99612c) and 200.
const ALERTS = readFixture('github/code-scanning-alerts.json');
const ANALYSES = readFixture('github/code-scanning-analyses.json');
const ALERT_SHA = '39406e42cb832f683daa691dd652a8dc36ee8930';
const STABLE_SHA = 'd99612c3e1f2970085cfbaeadf8f010ef69bad83';

function client(maxPages = 5) {
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        github: [{ host: 'github.com', apiBaseUrl: API, token: TOKEN }],
      },
    }),
  );
  return createGithubSecurityClient({
    integrations,
    credentialsProvider:
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
    host: 'github.com',
    timeoutMs: 1000,
    maxPages,
  });
}

function target(side: 'canary' | 'stable', revision?: string): ScanTarget {
  return {
    entity: {
      entityRef: 'component:default/hello',
      entity: { metadata: {} },
      annotations: { githubProjectSlug: 'octocat/hello-world' } as any,
    },
    environment: 'production',
    rollout: {
      instance: 'main',
      application: 'hello',
      namespace: 'shop',
      name: 'hello',
    },
    side,
    podTemplateHash: side === 'canary' ? 'abc123' : 'def456',
    image: { reference: 'ghcr.io/octocat/hello:1' },
    sideImages: [],
    resolveDigest: async () => undefined,
    treeNodes: [],
    readResource: async () => undefined,
    revision,
  };
}

/**
 * The documented payloads as one repository's code scanning: the canary's
 * commit (the alerts' most recent instance, analysed after stable's) has
 * alert 4 open; stable's commit d99612c was analysed on main before it.
 */
function codeScanningHandlers(
  options: {
    alerts?: unknown[];
    analysesOfCanary?: unknown[];
  } = {},
) {
  const seen: URL[] = [];
  const stableAnalysis = ANALYSES[0];
  const canaryAnalysis = {
    ...ANALYSES[0],
    id: 202,
    commit_sha: ALERT_SHA,
    created_at: '2020-09-01T10:00:00Z',
  };
  server.use(
    http.get(`${REPO}/code-scanning/analyses`, ({ request }) => {
      const url = new URL(request.url);
      seen.push(url);
      expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
      const sha = url.searchParams.get('sha');
      if (sha === STABLE_SHA) return HttpResponse.json([stableAnalysis]);
      if (sha === ALERT_SHA)
        return HttpResponse.json(options.analysesOfCanary ?? [canaryAnalysis]);
      if (sha) return HttpResponse.json([]);
      // by ref and tool, newest first
      expect(url.searchParams.get('ref')).toBe('refs/heads/main');
      expect(url.searchParams.get('tool_name')).toBe('CodeQL');
      return HttpResponse.json([canaryAnalysis, stableAnalysis]);
    }),
    http.get(`${REPO}/code-scanning/alerts`, ({ request }) => {
      const url = new URL(request.url);
      seen.push(url);
      expect(url.searchParams.get('state')).toBe('open');
      // the API filters by state; the double does too
      const all = (options.alerts ?? ALERTS) as Array<{ state: string }>;
      return HttpResponse.json(all.filter(a => a.state === 'open'));
    }),
  );
  return seen;
}

describe('GitHub code scanning (SAST and IaC layers)', () => {
  it('reads the analyses of a commit and parses them', async () => {
    const seen = codeScanningHandlers();
    const analyses = await client().analysesForCommit(
      'octocat/hello-world',
      STABLE_SHA,
    );
    expect(analyses).toEqual([
      {
        id: 201,
        ref: 'refs/heads/main',
        commitSha: STABLE_SHA,
        toolName: 'CodeQL',
        category:
          '.github/workflows/codeql-analysis.yml:analyze/language:python',
        createdAt: '2020-08-27T15:05:21Z',
      },
    ]);
    expect(seen[0].searchParams.get('per_page')).toBe('100');
  });

  it('parses a documented alert: rule, SARIF level error as HIGH, file and line, link', () => {
    expect(parseAlert(ALERTS[0])).toEqual({
      number: 4,
      state: 'open',
      createdAt: '2020-02-13T12:29:18Z',
      ruleId: 'js/zipslip',
      ruleName: 'js/zipslip',
      ruleDescription: 'Arbitrary file write during zip extraction',
      severity: 'HIGH',
      tags: ['security', 'external/cwe/cwe-022'],
      toolName: 'CodeQL',
      htmlUrl: 'https://github.com/octocat/hello-world/code-scanning/4',
      commitSha: ALERT_SHA,
      path: 'spec-main/api-session-spec.ts',
      startLine: 917,
      message: 'This path depends on a user-provided value.',
    });
    expect(
      codeScanningSeverity({
        security_severity_level: 'critical',
        severity: 'note',
      }),
    ).toBe('CRITICAL');
    expect(codeScanningSeverity({ severity: 'warning' })).toBe('MEDIUM');
    expect(codeScanningSeverity({ severity: 'note' })).toBe('LOW');
    expect(codeScanningSeverity({})).toBe('UNKNOWN');
  });

  it('the canary commit has the open alert, stable (analysed before it was found) not: new in canary', async () => {
    codeScanningHandlers();
    const [sast, iac] = createCodeScanningScanners(
      client(),
      { iacTools: DEFAULT_IAC_TOOLS },
      noCache,
    );
    const canary = await sast.scan(target('canary', ALERT_SHA));
    expect(canary).toMatchObject({
      status: 'report',
      findings: [
        {
          id: 'js/zipslip',
          severity: 'HIGH',
          packageName: 'spec-main/api-session-spec.ts',
          location: 'spec-main/api-session-spec.ts:917',
          layer: 'sast',
          source: 'github-code-scanning',
          url: 'https://github.com/octocat/hello-world/code-scanning/4',
        },
      ],
      links: [
        {
          title: 'Code scanning',
          url: 'https://github.com/octocat/hello-world/security/code-scanning',
        },
      ],
    });
    // the dismissed alert 3 is not open
    expect(canary.status === 'report' && canary.findings).toHaveLength(1);
    // alert 4 was created (2020-02-13) before the next analysis after stable's
    // (2020-09-01): it was there at stable's commit too
    const stable = await sast.scan(target('stable', STABLE_SHA));
    expect(stable.status === 'report' && stable.findings).toHaveLength(1);
    // no IaC tool analysed either commit
    expect(await iac.scan(target('canary', ALERT_SHA))).toEqual({
      status: 'no-report',
      message:
        'No IaC tool (Checkov, tfsec, Trivy config) analysed commit 39406e4 (tools: CodeQL)',
    });
  });

  it('an alert first found by the canary commit’s analysis is not at stable’s commit', async () => {
    const fresh = {
      ...ALERTS[0],
      number: 5,
      created_at: '2020-09-01T10:00:05Z',
      rule: { ...ALERTS[0].rule, security_severity_level: 'high' },
    };
    codeScanningHandlers({ alerts: [fresh] });
    const [sast] = createCodeScanningScanners(
      client(),
      { iacTools: DEFAULT_IAC_TOOLS },
      noCache,
    );
    const canary = await sast.scan(target('canary', ALERT_SHA));
    const stable = await sast.scan(target('stable', STABLE_SHA));
    expect(
      canary.status === 'report' && canary.findings.map(f => f.severity),
    ).toEqual(['HIGH']);
    expect(stable).toMatchObject({ status: 'report', findings: [] });
  });

  it('classifies Checkov, tfsec and Trivy misconfigurations as IaC; Trivy CVEs as neither', async () => {
    const checkov = {
      ...ALERTS[0],
      number: 7,
      tool: { name: 'Checkov', guid: null, version: '3.2.0' },
      rule: {
        id: 'CKV_K8S_20',
        severity: 'error',
        security_severity_level: 'high',
        tags: ['security'],
        description: 'Containers should not run with allowPrivilegeEscalation',
        name: 'CKV_K8S_20',
      },
      most_recent_instance: {
        ...ALERTS[0].most_recent_instance,
        location: { path: 'deploy/rollout.yaml', start_line: 12 },
      },
    };
    expect(codeScanningLayer(parseAlert(checkov)!, DEFAULT_IAC_TOOLS)).toBe(
      'iac',
    );
    expect(
      codeScanningLayer(
        {
          toolName: 'Trivy',
          tags: ['misconfiguration', 'HIGH'],
          ruleId: 'KSV001',
        },
        DEFAULT_IAC_TOOLS,
      ),
    ).toBe('iac');
    expect(
      codeScanningLayer(
        { toolName: 'Trivy', tags: ['vulnerability'], ruleId: 'CVE-2024-1' },
        DEFAULT_IAC_TOOLS,
      ),
    ).toBeUndefined();
    expect(
      codeScanningLayer(
        { toolName: 'Semgrep OSS', tags: [], ruleId: 'x' },
        DEFAULT_IAC_TOOLS,
      ),
    ).toBe('sast');

    const checkovAnalysis = {
      ...ANALYSES[0],
      id: 300,
      commit_sha: ALERT_SHA,
      tool: { name: 'Checkov', guid: null, version: '3.2.0' },
    };
    server.use(
      http.get(`${REPO}/code-scanning/analyses`, ({ request }) => {
        const url = new URL(request.url);
        if (url.searchParams.get('sha'))
          return HttpResponse.json([checkovAnalysis]);
        return HttpResponse.json([checkovAnalysis]);
      }),
      http.get(`${REPO}/code-scanning/alerts`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('tool_name')).toBe(
          'Checkov',
        );
        return HttpResponse.json([checkov]);
      }),
    );
    const [sast, iac] = createCodeScanningScanners(
      client(),
      { iacTools: DEFAULT_IAC_TOOLS },
      noCache,
    );
    expect(await iac.scan(target('canary', ALERT_SHA))).toMatchObject({
      status: 'report',
      findings: [
        {
          id: 'CKV_K8S_20',
          severity: 'HIGH',
          location: 'deploy/rollout.yaml:12',
          layer: 'iac',
          source: 'github-code-scanning-iac',
        },
      ],
    });
    expect(await sast.scan(target('canary', ALERT_SHA))).toMatchObject({
      status: 'no-report',
      message: 'No SAST tool analysed commit 39406e4 (tools: Checkov)',
    });
  });

  it('says why there is nothing: no slug, no commit, no analysis of the commit', async () => {
    codeScanningHandlers();
    const [sast] = createCodeScanningScanners(
      client(),
      { iacTools: DEFAULT_IAC_TOOLS },
      noCache,
    );
    const noSlug = target('canary', ALERT_SHA);
    noSlug.entity = { ...noSlug.entity, annotations: {} as any };
    expect(await sast.scan(noSlug)).toMatchObject({ status: 'not-configured' });
    expect(await sast.scan(target('canary'))).toMatchObject({
      status: 'no-report',
      message: expect.stringContaining('commit the canary runs is not known'),
    });
    expect(await sast.scan(target('canary', 'f'.repeat(40)))).toEqual({
      status: 'no-report',
      message: 'No code scanning analysis of commit fffffff',
    });
  });

  it('follows Link rel="next" on the same origin only, up to maxPages', async () => {
    const calls: string[] = [];
    server.use(
      http.get(`${REPO}/code-scanning/alerts`, ({ request }) => {
        const url = new URL(request.url);
        calls.push(url.searchParams.get('page') ?? '1');
        const page = Number(url.searchParams.get('page') ?? '1');
        return HttpResponse.json([{ ...ALERTS[0], number: page }], {
          headers: {
            link: `<${REPO}/code-scanning/alerts?state=open&page=${
              page + 1
            }>; rel="next"`,
          },
        });
      }),
    );
    const alerts = await client(3).openAlerts(
      'octocat/hello-world',
      'refs/heads/main',
      'CodeQL',
    );
    expect(alerts.map(a => a.number)).toEqual([1, 2, 3]);
    expect(calls).toEqual(['1', '2', '3']);
    expect(
      nextLink('<http://evil.test/x?page=2>; rel="next"', REPO),
    ).toBeUndefined();
  });

  it('names what is wrong on 403 and 404 without the token', async () => {
    server.use(
      http.get(`${REPO}/code-scanning/analyses`, () =>
        HttpResponse.json(
          { message: `Bad credentials ${TOKEN}` },
          { status: 403 },
        ),
      ),
      http.get(`${REPO}/dependabot/alerts`, () =>
        HttpResponse.json({ message: 'Not Found' }, { status: 404 }),
      ),
    );
    const error = (await client()
      .analysesForCommit('octocat/hello-world', STABLE_SHA)
      .catch(e => e)) as Error;
    expect(error.message).toContain(
      'GitHub denied access to code scanning (HTTP 403)',
    );
    expect(error.message).not.toContain(TOKEN);
    const notFound = (await client()
      .dependabotAlerts('octocat/hello-world')
      .catch(e => e)) as Error;
    expect(notFound.message).toContain(
      'Dependabot alerts not enabled (HTTP 404)',
    );
    await expect(
      client().analysesForCommit('not a slug', STABLE_SHA),
    ).rejects.toThrow('"not a slug" is not owner/repository');
  });
});

describe('GitHub Dependabot (SCA layer)', () => {
  // GitHub's documented example of GET /repos/{owner}/{repo}/dependabot/alerts
  // (packages/test-data/fixtures/SOURCES.md): [0] is alert 2, django,
  // dismissed; [1] is alert 1, ansible, open, created 2022-06-14T15:21:52Z.
  const DEPENDABOT = readFixture('github/dependabot-alerts.json');
  const [DJANGO, ANSIBLE] = DEPENDABOT;
  const ANSIBLE_CREATED = Date.parse(ANSIBLE.created_at);
  const iso = (ms: number) => new Date(ms).toISOString();
  const HOUR = 3_600_000;

  it('parses the recorded alerts: package, vulnerable range, first patched version, severity', () => {
    expect(parseDependabotAlert(ANSIBLE)).toEqual({
      number: 1,
      state: 'open',
      createdAt: '2022-06-14T15:21:52Z',
      ecosystem: 'pip',
      packageName: 'ansible',
      manifestPath: 'path/to/requirements.txt',
      advisoryId: 'GHSA-8f4m-hccc-8qph',
      cveId: 'CVE-2021-20191',
      summary: 'Insertion of Sensitive Information into Log File in ansible',
      severity: 'MEDIUM',
      // the alert's own range (security_vulnerability), not the advisory's
      // other two
      vulnerableVersionRange: '< 2.8.19',
      firstPatchedVersion: '2.8.19',
      htmlUrl: 'https://github.com/octocat/hello-world/security/dependabot/1',
    });
    expect(parseDependabotAlert(DJANGO)).toMatchObject({
      number: 2,
      state: 'dismissed',
      packageName: 'django',
      advisoryId: 'GHSA-rf4j-j272-fj86',
      cveId: 'CVE-2018-6188',
      severity: 'HIGH',
      vulnerableVersionRange: '>= 2.0.0, < 2.0.2',
      firstPatchedVersion: '2.0.2',
    });
    // what the SCA layer shows of it
    expect(dependabotFinding(parseDependabotAlert(ANSIBLE)!)).toEqual({
      id: 'CVE-2021-20191',
      title: 'Insertion of Sensitive Information into Log File in ansible',
      severity: 'MEDIUM',
      packageName: 'ansible',
      installedVersion: '< 2.8.19',
      fixedVersion: '2.8.19',
      fixable: true,
      location: 'path/to/requirements.txt',
      source: 'github-dependabot',
      layer: 'sca',
      url: 'https://github.com/octocat/hello-world/security/dependabot/1',
    });
    // not in the recorded example, changed here: the schema allows a null
    // first_patched_version (nothing fixes it yet), and older advisories say
    // "moderate" for medium
    const unpatched = parseDependabotAlert({
      ...ANSIBLE,
      security_vulnerability: {
        ...ANSIBLE.security_vulnerability,
        severity: 'moderate',
        first_patched_version: null,
      },
    })!;
    expect(unpatched.severity).toBe('MEDIUM');
    expect(dependabotFinding(unpatched)).toMatchObject({ fixable: false });
    expect(dependabotFinding(unpatched)).not.toHaveProperty('fixedVersion');
  });

  it('keeps the alerts present at a commit: opened by its scan (within the hour), open or fixed after it', () => {
    // the recorded alerts, plus (changed here: the example has no fixed
    // alert) django's alert as if fixed: #3 a week after it was opened, #4
    // two hours after
    const DJANGO_CREATED = Date.parse(DJANGO.created_at);
    const fixedAt = (number: number, ms: number) => ({
      ...DJANGO,
      number,
      state: 'fixed',
      fixed_at: iso(ms),
      dismissed_at: null,
      dismissed_by: null,
      dismissed_reason: null,
      dismissed_comment: null,
    });
    const list = [
      ...DEPENDABOT,
      fixedAt(3, DJANGO_CREATED + 7 * 24 * HOUR),
      fixedAt(4, DJANGO_CREATED + 2 * HOUR),
    ].map(a => parseDependabotAlert(a)!) as DependabotAlert[];
    const at = (ms: number) =>
      dependabotAtCommit(list, iso(ms)).map(a => a.number);
    // a commit pushed 10 minutes before Dependabot opened ansible's alert:
    // that alert is of it; django's were opened the next day
    expect(at(ANSIBLE_CREATED - 10 * 60_000)).toEqual([1]);
    // two hours before: opened by a later commit's scan
    expect(at(ANSIBLE_CREATED - 2 * HOUR)).toEqual([]);
    // a day after django's alerts were opened: ansible's (open) and #3
    // (fixed only later); not #4 (fixed before) nor the dismissed #2
    expect(at(DJANGO_CREATED + 24 * HOUR)).toEqual([1, 3]);
    // without the commit's date: the open alerts
    expect(dependabotAtCommit(list, undefined).map(a => a.number)).toEqual([1]);
  });

  it('scans per side: asks for open and fixed alerts; the canary commit has the recorded open alert, stable’s (older) not', async () => {
    // changed here, not in the example: the two commits' dates. The canary
    // runs a commit pushed 10 minutes before Dependabot opened ansible's
    // alert, stable one a week older
    const dates: Record<string, string> = {
      [ALERT_SHA]: iso(ANSIBLE_CREATED - 10 * 60_000),
      [STABLE_SHA]: iso(ANSIBLE_CREATED - 7 * 24 * HOUR),
    };
    const states: Array<string | null> = [];
    server.use(
      http.get(`${REPO}/dependabot/alerts`, ({ request }) => {
        const url = new URL(request.url);
        states.push(url.searchParams.get('state'));
        expect(url.searchParams.get('per_page')).toBe('100');
        // the API answers the states asked for: not the dismissed alert 2
        const wanted = url.searchParams.get('state')?.split(',');
        return HttpResponse.json(
          DEPENDABOT.filter(
            (a: { state: string }) => !wanted || wanted.includes(a.state),
          ),
        );
      }),
      http.get(`${REPO}/commits/:sha`, ({ params }) =>
        HttpResponse.json({
          sha: params.sha,
          commit: { committer: { date: dates[params.sha as string] } },
        }),
      ),
    );
    const sca = createDependabotScanner(client(), noCache);
    const canary = await sca.scan(target('canary', ALERT_SHA));
    const stable = await sca.scan(target('stable', STABLE_SHA));
    expect(states).toEqual(['open,fixed', 'open,fixed']);
    expect(canary).toEqual({
      status: 'report',
      findings: [
        {
          id: 'CVE-2021-20191',
          title: 'Insertion of Sensitive Information into Log File in ansible',
          severity: 'MEDIUM',
          packageName: 'ansible',
          installedVersion: '< 2.8.19',
          fixedVersion: '2.8.19',
          fixable: true,
          location: 'path/to/requirements.txt',
          source: 'github-dependabot',
          layer: 'sca',
          url: 'https://github.com/octocat/hello-world/security/dependabot/1',
        },
      ],
      links: [
        {
          title: 'Dependabot alerts',
          url: 'https://github.com/octocat/hello-world/security/dependabot',
        },
      ],
      message:
        'Dependabot alerts of the default branch present at commit 39406e4',
    });
    expect(stable).toMatchObject({ status: 'report', findings: [] });
  });
});

describe('per-side commits and config', () => {
  const app = (history: Array<{ revision: string }>, current: string) => ({
    status: { sync: { revision: current }, history },
  });
  const A = 'a'.repeat(40);
  const B = 'b'.repeat(40);

  it('canary runs the synced commit, stable the one deployed before it', () => {
    expect(
      sideRevisions(
        { canaryPodHash: 'c1', stablePodHash: 's1', fullyPromoted: false },
        app([{ revision: B }, { revision: A }], A),
      ),
    ).toEqual({ canary: A, stable: B });
    expect(
      sideRevisions(
        { canaryPodHash: 's1', stablePodHash: 's1', fullyPromoted: true },
        app([{ revision: B }, { revision: A }], A),
      ),
    ).toEqual({ stable: A });
    // a chart version is no commit
    expect(
      sideRevisions(
        { canaryPodHash: 'c1', stablePodHash: 's1', fullyPromoted: false },
        app([], '1.4.2'),
      ),
    ).toEqual({});
    expect(sideRevisions({ fullyPromoted: false } as any, undefined)).toEqual(
      {},
    );
  });

  it('reads delivery.githubSecurity (absent: off) and rejects a bad maxPages', () => {
    expect(
      readVulnerabilitiesConfig(new ConfigReader({})).githubSecurity,
    ).toBeUndefined();
    expect(
      readVulnerabilitiesConfig(
        new ConfigReader({
          delivery: {
            githubSecurity: {
              iacTools: ['Checkov', 'KICS'],
              dependabot: false,
            },
          },
        }),
      ).githubSecurity,
    ).toEqual({
      host: 'github.com',
      timeoutMs: 10_000,
      maxPages: 5,
      codeScanning: true,
      dependabot: false,
      iacTools: ['checkov', 'kics'],
    });
    expect(() =>
      readVulnerabilitiesConfig(
        new ConfigReader({ delivery: { githubSecurity: { maxPages: 0 } } }),
      ),
    ).toThrow(
      'delivery.githubSecurity.maxPages must be a whole number from 1 to 50',
    );
  });

  it('a module scanner keeps its layer and is cached per side, not per image', async () => {
    let calls = 0;
    const store = new Map<string, unknown>();
    const cache: SignalCache = {
      async getOrLoad(key, _ttl, load) {
        if (!store.has(key)) store.set(key, await load());
        return store.get(key) as any;
      },
    };
    const wrapped = cachedScanner(
      {
        id: 'semgrep',
        layer: 'sast',
        scan: async t => {
          calls++;
          return { status: 'report', findings: [], message: t.revision };
        },
      },
      cache,
    );
    expect(wrapped.layer).toBe('sast');
    // same image on both sides, different commits: two reads
    await wrapped.scan(target('canary', A));
    await wrapped.scan(target('stable', B));
    await wrapped.scan(target('stable', B));
    expect(calls).toBe(2);
  });
});
