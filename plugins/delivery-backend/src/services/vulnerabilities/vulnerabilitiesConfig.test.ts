import { ConfigReader } from '@backstage/config';
import { readVulnerabilitiesConfig } from './vulnerabilitiesConfig';

const read = (delivery: object) =>
  readVulnerabilitiesConfig(new ConfigReader({ delivery }));

const trivy = { reportStoreUrl: 'http://trivy.test' };
const snyk = { token: 'snyk-token' };

describe('readVulnerabilitiesConfig timeouts', () => {
  it('defaults to 10 s', () => {
    const config = read({ trivy, snyk });
    expect(config.trivy?.timeoutMs).toBe(10_000);
    expect(config.snyk?.timeoutMs).toBe(10_000);
  });

  it('takes milliseconds as before', () => {
    const config = read({
      trivy: { ...trivy, timeoutMs: 2500 },
      snyk: { ...snyk, timeoutMs: 4000 },
    });
    expect(config.trivy?.timeoutMs).toBe(2500);
    expect(config.snyk?.timeoutMs).toBe(4000);
  });

  it('takes a HumanDuration, an ISO duration or a short string', () => {
    expect(
      read({ trivy: { ...trivy, timeoutMs: { seconds: 3 } } }).trivy?.timeoutMs,
    ).toBe(3000);
    expect(read({ snyk: { ...snyk, timeoutMs: 'PT2S' } }).snyk?.timeoutMs).toBe(
      2000,
    );
    expect(read({ snyk: { ...snyk, timeoutMs: '5s' } }).snyk?.timeoutMs).toBe(
      5000,
    );
  });

  it('stops start-up on a value that is no duration, naming the key', () => {
    expect(() => read({ trivy: { ...trivy, timeoutMs: 'soon' } })).toThrow(
      /delivery\.trivy\.timeoutMs/,
    );
    expect(() => read({ snyk: { ...snyk, timeoutMs: 0 } })).toThrow(
      /delivery\.snyk/,
    );
  });
});
