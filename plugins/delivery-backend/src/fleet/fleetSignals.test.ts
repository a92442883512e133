import type { RecordedEvent } from '../dora/DeploymentStore';
import { createFleetDora, doraBandOf } from './fleetDora';
import { errorsOf } from './assembleFleet';
import { signalsOf, worstFinding } from './fleetSignalSummary';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-06T00:00:00Z');

const deployment = (daysAgo: number, n: number): RecordedEvent => ({
  entityRef: 'component:default/checkout',
  environment: 'production',
  kind: 'deployment',
  key: `d${n}`,
  at: NOW - daysAgo * DAY,
  revision: `r${n}`,
  images: [`img:${n}`],
  committedAt: NOW - daysAgo * DAY - 3_600_000,
  source: 'argocd',
});

describe('the fleet cell signals', () => {
  it('names the worst severity with findings, or none', () => {
    const zero = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
    expect(worstFinding({ ...zero, HIGH: 3, LOW: 9 })).toEqual({
      worst: 'HIGH',
      count: 3,
    });
    expect(worstFinding(zero)).toEqual({ worst: 'NONE', count: 0 });
    expect(worstFinding(undefined)).toBeUndefined();
  });

  it("takes the policy's blocking gates and CI from an environment summary", () => {
    expect(
      signalsOf({
        policy: { allowed: false, failing: ['soak-time'], pending: true },
        ci: { status: 'failed', conclusion: 'failure', runs: [] } as any,
      }),
    ).toEqual({
      policy: { allowed: false, failing: ['soak-time'], pending: true },
      ci: { status: 'failed', conclusion: 'failure' },
    });
    expect(signalsOf(undefined)).toEqual({});
  });
});

describe("a cell's failed signal sources", () => {
  it('are those naming its environment, or none of the row', () => {
    const errors = [
      'policy: The policy could not be evaluated for production: its Argo CD data is incomplete',
      'prometheus: connection refused',
      'vulnerabilities: staging: no answer',
    ];
    const envs = ['dev', 'staging', 'production'];
    expect(errorsOf(errors, 'dev', envs)).toEqual([errors[1]]);
    expect(errorsOf(errors, 'staging', envs)).toEqual([errors[1], errors[2]]);
    expect(errorsOf(errors, 'production', envs)).toEqual([
      errors[0],
      errors[1],
    ]);
  });
});

describe('the fleet DORA band', () => {
  it('is the lowest band of the figures that have a value', () => {
    // daily deployments, an hour from commit: elite frequency and lead time
    const daily = Array.from({ length: 30 }, (_, i) => deployment(i + 0.5, i));
    expect(doraBandOf(daily, NOW)).toBe('elite');
    // one deployment in the window: a monthly frequency is "medium"
    expect(doraBandOf([deployment(3, 1)], NOW)).toBe('medium');
    // nothing deployed in 30 days: a low deployment frequency
    expect(doraBandOf([], NOW)).toBe('low');
  });

  it('reads the history of every row in one query and keeps it for the TTL', async () => {
    const list = jest.fn(async (_query: { entityRefs: string[] }) => [
      deployment(3, 1),
    ]);
    let now = NOW;
    const dora = createFleetDora({
      store: { list, record: async () => undefined },
      ttlMs: 60_000,
      now: () => now,
    });
    const refs = ['component:default/checkout', 'component:default/payments'];
    const bands = await dora(refs);
    expect(list).toHaveBeenCalledTimes(1);
    expect(list.mock.calls[0][0]).toMatchObject({ entityRefs: refs });
    expect(bands.get(refs[0])?.get('production')).toBe('medium');
    expect(bands.get(refs[1])?.size).toBe(0);
    await dora(refs);
    expect(list).toHaveBeenCalledTimes(1);
    now += 61_000;
    await dora(refs);
    expect(list).toHaveBeenCalledTimes(2);
  });
});
