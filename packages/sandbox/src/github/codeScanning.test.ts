import { jsonFixture } from 'delivery-test-data';
import { commitSha } from '../ids';
import type { Sandbox } from '../server';
import { shapeDiff } from '../shapeDiff';
import { getJson, testSandbox } from '../testUtils';
import type { Clock } from '../clock';

const fixture = (name: string) => jsonFixture(`github/${name}`);

describe('GitHub code scanning and Dependabot double', () => {
  let sandbox: Sandbox & { clock: Clock };
  let api: string;
  beforeAll(async () => {
    sandbox = await testSandbox('sast-new-high');
    api = `${sandbox.url}/github/repos/acme/checkout`;
  });
  afterAll(() => sandbox.close());

  const versions = () =>
    sandbox.world.services.find(s => s.name === 'checkout')!.versions;

  it('answers like GitHub: analyses and alerts have the recorded shapes', async () => {
    const analyses = await getJson(
      `${api}/code-scanning/analyses?per_page=100`,
    );
    expect(analyses.status).toBe(200);
    expect(analyses.body.length).toBeGreaterThan(1);
    expect(
      shapeDiff(analyses.body, fixture('code-scanning-analyses.json')),
    ).toEqual([]);
    const alerts = await getJson(
      `${api}/code-scanning/alerts?ref=refs/heads/main&tool_name=CodeQL&state=open`,
    );
    // against the recorded open alert (#4; #3 is a dismissed one). The
    // example's rule has no security_severity_level, which GitHub sends for
    // security queries
    expect(
      shapeDiff(alerts.body, [fixture('code-scanning-alerts.json')[0]]).filter(
        d =>
          !d.endsWith('.rule.security_severity_level: key not in the fixture'),
      ),
    ).toEqual([]);
    expect(alerts.body.length).toBeGreaterThan(0);
  });

  it('sast-new-high: the newest release’s commit is analysed after the one before, and its new HIGH alert was opened by that analysis', async () => {
    const all = versions();
    const canary = commitSha('checkout', all[all.length - 1]);
    const stable = commitSha('checkout', all[all.length - 2]);
    const ofCanary = await getJson(
      `${api}/code-scanning/analyses?sha=${canary}&per_page=100`,
    );
    const ofStable = await getJson(
      `${api}/code-scanning/analyses?sha=${stable}&per_page=100`,
    );
    // every release commit is analysed by CodeQL and by Checkov
    expect(ofCanary.body.map((a: any) => a.tool.name)).toEqual([
      'CodeQL',
      'Checkov',
    ]);
    expect(ofStable.body).toHaveLength(2);
    expect(ofCanary.body[0].created_at > ofStable.body[0].created_at).toBe(
      true,
    );
    const alerts = await getJson(
      `${api}/code-scanning/alerts?ref=refs/heads/main&tool_name=CodeQL&state=open`,
    );
    const high = alerts.body.find((a: any) => a.rule.id === 'js/sql-injection');
    expect(high).toMatchObject({
      state: 'open',
      rule: { security_severity_level: 'high' },
      most_recent_instance: {
        commit_sha: canary,
        location: { path: 'src/orders/orderRepository.ts', start_line: 88 },
      },
    });
    expect(high.created_at > ofCanary.body[0].created_at).toBe(true);
    const old = alerts.body.find((a: any) => a.rule.id === 'js/log-injection');
    expect(old.created_at < ofStable.body[0].created_at).toBe(true);
    // dismissed or fixed alerts: none open in another state
    expect(
      (await getJson(`${api}/code-scanning/alerts?state=dismissed`)).body,
    ).toEqual([]);
  });

  it('serves a commit’s date, Dependabot alerts and 404/422 like GitHub', async () => {
    const all = versions();
    const sha = commitSha('checkout', all[0]);
    const commit = await getJson(`${api}/commits/${sha}`);
    expect(commit.body).toMatchObject({
      sha,
      commit: { committer: { date: expect.stringMatching(/Z$/) } },
    });
    expect((await getJson(`${api}/commits/${'f'.repeat(40)}`)).status).toBe(
      422,
    );
    expect(
      (await getJson(`${sandbox.url}/github/repos/acme/nope/dependabot/alerts`))
        .status,
    ).toBe(404);
    // sast-new-high has no Dependabot alert
    expect(
      (await getJson(`${api}/dependabot/alerts?state=open,fixed`)).body,
    ).toEqual([]);
  });

  it('answers Dependabot alerts like GitHub: the recorded shape, filtered by state', async () => {
    // payments is in its own scenario: the default profile's express alert
    const alerts = `${sandbox.url}/github/repos/acme/payments/dependabot/alerts`;
    const open = await getJson(`${alerts}?state=open,fixed&per_page=100`);
    expect(open.status).toBe(200);
    expect(open.body).toHaveLength(1);
    const recorded = fixture('dependabot-alerts.json');
    expect(shapeDiff(open.body, recorded)).toEqual([]);
    // every key of the recorded open alert (#1) but the scores the profile
    // does not have
    const [alert] = open.body;
    expect(Object.keys(alert).sort()).toEqual(Object.keys(recorded[1]).sort());
    expect(
      Object.keys(recorded[1].security_advisory).filter(
        k => !(k in alert.security_advisory),
      ),
    ).toEqual(['cvss', 'cvss_severities']);
    expect(alert).toMatchObject({
      number: 1,
      state: 'open',
      dependency: {
        package: { ecosystem: 'npm', name: 'express' },
        manifest_path: 'package-lock.json',
      },
      security_vulnerability: {
        severity: 'low',
        vulnerable_version_range: '< 4.20.0',
        first_patched_version: { identifier: '4.20.0' },
      },
      html_url: 'https://github.com/acme/payments/security/dependabot/1',
    });
    // its only alert is open: none is dismissed
    expect(
      (await getJson(`${alerts}?state=dismissed,auto_dismissed`)).body,
    ).toEqual([]);
  });
});
