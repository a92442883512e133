import type { RecordedEvent } from './DeploymentStore';
import { doraFigures } from './doraFigures';

const DAY = 86_400_000;
const now = Date.parse('2026-11-27T00:00:00Z');

const deployment = (
  entityRef: string,
  environment: string,
  key: string,
  daysAgo: number,
  image: string,
): RecordedEvent => ({
  entityRef,
  environment,
  kind: 'deployment',
  key,
  at: now - daysAgo * DAY,
  revision: key,
  images: [image],
  source: 'argocd',
});

const base = { isSystem: false, windowDays: 7 as const, now };

describe('doraFigures', () => {
  const events = [
    deployment('component:default/a', 'production', 'p1', 3, 'a:1'),
    deployment('component:default/a', 'production', 'p2', 1, 'a:2'),
    deployment('component:default/a', 'staging', 's1', 2, 'a:1'),
    deployment('component:default/a', 'qa', 'q1', 2, 'a:1'),
    {
      ...deployment('component:default/a', 'production', 'x', 1, 'a:2'),
      kind: 'abort' as const,
      source: 'audit' as const,
    },
  ];

  it("lists the overviews' environments in their order, then the history's others alphabetically", () => {
    const figures = doraFigures({
      ...base,
      events,
      order: ['dev', 'staging', 'production'],
    });
    expect(figures.map(f => f.environment)).toEqual([
      'dev',
      'staging',
      'production',
      'qa',
    ]);
    const production = figures.find(f => f.environment === 'production')!;
    expect(production.deployments).toHaveLength(2);
    expect(production.failures).toHaveLength(1);
    expect(figures[0].deployments).toEqual([]);
  });

  it('keeps only the environment asked for, even one without history', () => {
    expect(
      doraFigures({
        ...base,
        events,
        order: ['staging', 'production'],
        environment: 'production',
      }).map(f => f.environment),
    ).toEqual(['production']);
    expect(
      doraFigures({
        ...base,
        events: [],
        order: [],
        environment: 'production',
      }).map(f => f.environment),
    ).toEqual(['production']);
  });

  it("counts an Application shared by a system's components once", () => {
    const shared = [
      deployment('component:default/a', 'production', 'shared', 1, 'x:1'),
      deployment('component:default/b', 'production', 'shared', 1, 'x:1'),
    ];
    const [production] = doraFigures({
      ...base,
      isSystem: true,
      events: shared,
      order: ['production'],
    });
    expect(production.deployments).toHaveLength(1);
  });
});
