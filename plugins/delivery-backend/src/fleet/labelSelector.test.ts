import { parseLabelSelector } from './labelSelector';

describe('parseLabelSelector', () => {
  const labels = { app: 'checkout', tier: 'web', 'acme.io/team': 'shop' };

  it.each([
    ['app=checkout', true],
    ['app==checkout', true],
    ['app=inventory', false],
    ['app!=inventory', true],
    ['app=checkout,tier=web', true],
    ['app=checkout,tier=db', false],
    ['acme.io/team', true],
    ['!acme.io/team', false],
    ['!missing', true],
    ['tier in (web, db)', true],
    ['tier notin (web,db)', false],
    ['missing notin (a)', true],
    ['app=checkout,tier in (db,web)', true],
  ])('%s → %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it.each(['app=checkout,', 'app=a b', 'in (x)', '=x'])(
    'refuses %p, quoting it',
    selector => {
      expect(() => parseLabelSelector(selector)).toThrow(
        `label selector "${selector}"`,
      );
    },
  );
});
