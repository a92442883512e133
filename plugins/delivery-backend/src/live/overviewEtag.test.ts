import { ifNoneMatchHits, overviewEtag } from './overviewEtag';

describe('overviewEtag', () => {
  const view = {
    entityRef: 'component:default/checkout',
    generatedAt: '2026-12-06T05:00:00.000Z',
    environments: [{ name: 'production', rollouts: [{ step: 2 }] }],
  };

  it('is the same for the same view computed at another time, in another key order', () => {
    const later = {
      environments: [{ rollouts: [{ step: 2 }], name: 'production' }],
      generatedAt: '2026-12-06T05:00:09.000Z',
      entityRef: 'component:default/checkout',
    };
    expect(overviewEtag(later)).toBe(overviewEtag(view));
    expect(overviewEtag(view)).toMatch(/^W\/"[A-Za-z0-9_-]{32}"$/);
  });

  it('changes with any part of the view', () => {
    const stepped = {
      ...view,
      environments: [{ name: 'production', rollouts: [{ step: 3 }] }],
    };
    expect(overviewEtag(stepped)).not.toBe(overviewEtag(view));
  });
});

describe('ifNoneMatchHits', () => {
  const etag = 'W/"abc"';
  it.each([
    ['W/"abc"', true],
    ['"abc"', true],
    ['"x", W/"abc"', true],
    ['*', true],
    ['W/"abd"', false],
    [undefined, false],
    ['', false],
  ])('%s → %s', (header, hit) => {
    expect(ifNoneMatchHits(header, etag)).toBe(hit);
  });
});
