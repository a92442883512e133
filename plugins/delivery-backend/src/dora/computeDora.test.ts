import { computeDora, type DeploymentEvent } from './computeDora';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const now = Date.parse('2026-11-27T00:00:00Z');
const at = (days: number, hours = 0) => now + days * DAY + hours * HOUR;

describe('computeDora', () => {
  // A hand-made production history over two weeks.
  const deployments: DeploymentEvent[] = [
    {
      at: at(-10),
      revision: 'a0',
      images: ['shop/checkout:v1'],
      committedAt: at(-10, -2),
    },
    {
      at: at(-6),
      revision: 'a1',
      images: ['shop/checkout:v2'],
      committedAt: at(-6, -3),
    },
    // a re-sync of the same image is not a deployment
    {
      at: at(-5, 12),
      revision: 'a1b',
      images: ['shop/checkout:v2'],
      committedAt: at(-5, 11),
    },
    {
      at: at(-4),
      revision: 'a3',
      images: ['shop/checkout:v3'],
      committedAt: at(-4, -1),
    },
    // the rollback to v2 (no commit of its own)
    { at: at(-4, 6), revision: 'a1', images: ['shop/checkout:v2'] },
    {
      at: at(-2),
      revision: 'a5',
      images: ['shop/checkout:v4'],
      committedAt: at(-2, -5),
    },
  ];
  const failures = [{ at: at(-4, 2), kind: 'abort' as const, source: 'audit' }];

  it('gives the exact four figures, bands and trends for a 7-day window', () => {
    const {
      figures,
      deployments: deps,
      failures: fails,
    } = computeDora({
      deployments,
      failures,
      windowDays: 7,
      now,
    });
    expect(figures.deploymentFrequency).toMatchObject({
      value: 4 / 7,
      unit: 'per-day',
      band: 'high',
      previous: 1 / 7,
      trend: 'better',
      sampleSize: 4,
    });
    expect(figures.leadTimeForChanges).toMatchObject({
      value: 3,
      unit: 'hours',
      band: 'elite',
      previous: 2,
      trend: 'worse',
      sampleSize: 3,
    });
    expect(figures.changeFailureRate).toMatchObject({
      value: 0.25,
      band: 'low',
      previous: 0,
      trend: 'worse',
    });
    expect(figures.timeToRestore).toMatchObject({
      value: 4,
      band: 'high',
      previous: null,
      sampleSize: 1,
    });
    expect(figures.timeToRestore.trend).toBeUndefined();
    expect(deps.map(d => [d.revision, d.failed])).toEqual([
      ['a1', false],
      ['a3', true],
      ['a1', false],
      ['a5', false],
    ]);
    expect(fails).toEqual([
      {
        at: new Date(at(-4, 2)).toISOString(),
        kind: 'abort',
        source: 'audit',
        restoredAt: new Date(at(-4, 6)).toISOString(),
      },
    ]);
  });

  it('draws one daily bucket per day with the deployments of that day', () => {
    const { figures } = computeDora({
      deployments,
      failures,
      windowDays: 7,
      now,
    });
    const series = figures.deploymentFrequency.series;
    expect(series).toHaveLength(7);
    expect(series.map(p => p.value)).toEqual([0, 1, 0, 2, 0, 1, 0]);
    expect(series[0].t).toBe(at(-7) / 1000);
    expect(figures.changeFailureRate.series.map(p => p.value)).toEqual([
      null,
      0,
      null,
      0.5,
      null,
      0,
      null,
    ]);
  });

  it('draws daily buckets over 90 days too', () => {
    const { figures } = computeDora({
      deployments,
      failures,
      windowDays: 90,
      now,
    });
    expect(figures.deploymentFrequency.series).toHaveLength(90);
    expect(figures.deploymentFrequency.value).toBe(5 / 90);
    expect(figures.deploymentFrequency.band).toBe('medium');
  });

  it('an empty window has zero deployments and no other figure', () => {
    const { figures, deployments: deps } = computeDora({
      deployments: [],
      failures: [],
      windowDays: 30,
      now,
    });
    expect(figures.deploymentFrequency).toMatchObject({
      value: 0,
      band: 'low',
      previous: 0,
      trend: 'same',
    });
    expect(figures.leadTimeForChanges.value).toBeNull();
    expect(figures.changeFailureRate.value).toBeNull();
    expect(figures.timeToRestore.value).toBeNull();
    expect(figures.leadTimeForChanges.band).toBeUndefined();
    expect(deps).toEqual([]);
  });

  it('a window without failures has a zero failure rate and no time to restore', () => {
    const { figures } = computeDora({
      deployments,
      failures: [],
      windowDays: 7,
      now,
    });
    expect(figures.changeFailureRate).toMatchObject({
      value: 0,
      band: 'elite',
    });
    expect(figures.timeToRestore.value).toBeNull();
  });

  it('an abort not yet restored counts as a failure but not as a restore', () => {
    const { figures, failures: fails } = computeDora({
      deployments,
      failures: [{ at: at(-1), kind: 'abort', source: 'guard' }],
      windowDays: 7,
      now,
    });
    expect(figures.changeFailureRate.value).toBe(1 / 4);
    expect(figures.timeToRestore).toMatchObject({ value: null, sampleSize: 0 });
    expect(fails[0].restoredAt).toBeUndefined();
  });

  it('uses the median lead time (even count averages the middle two)', () => {
    const { figures } = computeDora({
      deployments: [
        { at: at(-3), images: ['a:1'], committedAt: at(-3, -1) },
        { at: at(-2), images: ['a:2'], committedAt: at(-2, -2) },
        { at: at(-1), images: ['a:3'], committedAt: at(-1, -10) },
        { at: at(-1, 1), images: ['a:4'], committedAt: at(-1, -20) },
      ],
      failures: [],
      windowDays: 7,
      now,
    });
    expect(figures.leadTimeForChanges.value).toBe(6);
  });

  it('counts a second failure of the same deployment once (guard abort seen twice)', () => {
    const { figures, failures: fails } = computeDora({
      deployments,
      failures: [
        { at: at(-4, 2), kind: 'abort', source: 'audit' },
        { at: at(-4, 3), kind: 'abort', source: 'argocd' },
      ],
      windowDays: 7,
      now,
    });
    expect(figures.changeFailureRate.value).toBe(0.25);
    expect(figures.timeToRestore).toMatchObject({ value: 4, sampleSize: 1 });
    expect(fails.map(f => f.source)).toEqual(['audit']);
  });

  it('a config-only sync (same images, new revision) is not a deployment; a rollback has no lead time', () => {
    const { figures, deployments: deps } = computeDora({
      deployments: [
        {
          at: at(-5),
          revision: 'r1',
          images: ['a:1'],
          committedAt: at(-5, -1),
        },
        {
          at: at(-4),
          revision: 'r2',
          images: ['a:1'],
          committedAt: at(-4, -1),
        },
        { at: at(-3), revision: 'r3', images: [], committedAt: at(-3, -2) },
        { at: at(-2), revision: 'r1', images: [], committedAt: at(-5, -1) },
      ],
      failures: [],
      windowDays: 7,
      now,
    });
    expect(deps.map(d => d.revision)).toEqual(['r1', 'r3', 'r1']);
    expect(deps[2].committedAt).toBeUndefined();
    expect(figures.leadTimeForChanges).toMatchObject({
      value: 1.5,
      sampleSize: 2,
    });
  });

  it('matches failures within their own history when several are counted together (a system)', () => {
    const {
      figures,
      deployments: deps,
      failures: fails,
    } = computeDora({
      deployments: [
        {
          at: at(-3),
          revision: 'a1',
          images: [],
          stream: 'component:default/a',
        },
        {
          at: at(-2),
          revision: 'b1',
          images: [],
          stream: 'component:default/b',
        },
        // the same revision in another component is not a re-sync
        {
          at: at(-1),
          revision: 'a1',
          images: [],
          stream: 'component:default/b',
        },
        {
          at: at(-1, 3),
          revision: 'a2',
          images: [],
          stream: 'component:default/a',
        },
      ],
      // a's deployment failed; b deployed in between, which restores nothing of a's
      failures: [
        {
          at: at(-2, 1),
          kind: 'abort',
          source: 'audit',
          stream: 'component:default/a',
        },
      ],
      windowDays: 7,
      now,
    });
    expect(deps.map(d => [d.component, d.revision, d.failed])).toEqual([
      ['component:default/a', 'a1', true],
      ['component:default/b', 'b1', false],
      ['component:default/b', 'a1', false],
      ['component:default/a', 'a2', false],
    ]);
    expect(fails).toEqual([
      expect.objectContaining({
        component: 'component:default/a',
        restoredAt: new Date(at(-1, 3)).toISOString(),
      }),
    ]);
    expect(figures.changeFailureRate.value).toBe(0.25);
    expect(figures.timeToRestore.value).toBe(26);
  });
});
