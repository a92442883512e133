import { runInReadScope, scopedRead, scopedValue } from './readScope';

describe('scopedValue', () => {
  it('is computed once per read scope, by its first call', async () => {
    let clock = 1_000;
    const now = () => clock++;
    const seen = await runInReadScope(async () => {
      const first = scopedValue('now', now);
      await new Promise(resolve => setTimeout(resolve, 5));
      // nested scopes share the outer one
      const nested = await runInReadScope(async () => scopedValue('now', now));
      return [first, nested, scopedValue('other', now)];
    });
    expect(seen).toEqual([1_000, 1_000, 1_001]);
    // the next scope computes its own
    expect(await runInReadScope(async () => scopedValue('now', now))).toBe(
      1_002,
    );
  });

  it('is computed on every call outside a scope', () => {
    let n = 0;
    expect([scopedValue('k', () => ++n), scopedValue('k', () => ++n)]).toEqual([
      1, 2,
    ]);
  });

  it("lives beside the scope's reads without touching them", async () => {
    let loads = 0;
    const load = async () => ++loads;
    await runInReadScope(async () => {
      scopedValue('k', () => 'value');
      expect(await scopedRead('k', false, load)).toBe(1);
      expect(await scopedRead('k', false, load)).toBe(1);
      expect(scopedValue('k', () => 'other')).toBe('value');
    });
  });
});
