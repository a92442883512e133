import { applyFields } from './fields';
import { matchesSelector, parseSelector, SelectorError } from './selector';
import { createClock } from '../clock';

describe('label selectors', () => {
  const labels = { app: 'checkout', environment: 'production' };
  const match = (s: string) => matchesSelector(labels, parseSelector(s));

  it('supports equality, inequality, set-based and existence terms', () => {
    expect(match('app=checkout')).toBe(true);
    expect(match('app==checkout,environment!=dev')).toBe(true);
    expect(match('app in (checkout, payments)')).toBe(true);
    expect(match('environment notin (production)')).toBe(false);
    expect(match('app')).toBe(true);
    expect(match('!team')).toBe(true);
    expect(match('!app')).toBe(false);
    expect(match('team!=x')).toBe(true);
    expect(match('')).toBe(true);
  });

  it('rejects what labels.Parse rejects', () => {
    expect(() => parseSelector('app>1')).toThrow(SelectorError);
    expect(() => parseSelector('app=a b')).toThrow(SelectorError);
    expect(() => parseSelector('in (a)')).toThrow(SelectorError);
  });
});

describe('fields', () => {
  const item = {
    metadata: { name: 'a', labels: { x: '1' }, uid: 'u' },
    spec: { project: 'p' },
    status: {
      sync: { status: 'Synced', revision: 'r' },
      health: { status: 'Healthy' },
    },
  };

  it('keeps only allowed paths, or removes them with a leading -', () => {
    expect(
      applyFields(
        [item],
        'items.metadata.name,items.status.sync.status,items.metadata.uid',
      ),
    ).toEqual([
      { metadata: { name: 'a' }, status: { sync: { status: 'Synced' } } },
    ]);
    const excluded = applyFields([item], '-items.spec,items.status.health');
    expect(excluded[0]).toEqual({
      metadata: item.metadata,
      status: { sync: item.status.sync },
    });
    expect(applyFields([item], null)).toEqual([item]);
  });
});

describe('simulated clock', () => {
  it('runs scaled and shifts wire time so that simulated now is real now', () => {
    let real = 1_000_000;
    const clock = createClock(60, () => real);
    const pauseStart = clock.now();
    real += 10_000; // 10 real seconds = 10 simulated minutes
    expect(clock.now() - pauseStart).toBe(600_000);
    expect(clock.toWire(clock.now())).toBe(real);
    expect(real - clock.toWire(pauseStart)).toBe(600_000);
    expect(clock.fromWire(clock.toWire(pauseStart))).toBe(pauseStart);
    clock.advance(1000);
    expect(clock.toWire(clock.now())).toBe(real);
    expect(() => clock.advance(-1)).toThrow();
    expect(() => createClock(0)).toThrow();
  });
});
