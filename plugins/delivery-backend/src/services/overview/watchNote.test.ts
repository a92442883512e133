import type { ArgoCdWatchStatus } from '@gitops-delivery/backstage-plugin-delivery-node';
import { argocdSources } from './assembleOverview';
import { watchNote, watchNotes } from './watchNote';

const status = (s: Partial<ArgoCdWatchStatus>): ArgoCdWatchStatus => ({
  instance: 'main',
  mode: 'streaming',
  serving: true,
  treeStreams: 0,
  healthyTreeStreams: 0,
  pollIntervalMs: 10_000,
  ...s,
});

describe('watchNote', () => {
  it('says nothing while the stream is current, or before it first failed', () => {
    expect(watchNote(undefined)).toBeUndefined();
    expect(watchNote(status({}))).toBeUndefined();
    expect(
      watchNote(status({ mode: 'connecting', serving: false })),
    ).toBeUndefined();
  });

  it('says why live updates are unavailable and how the instance is read meanwhile', () => {
    expect(
      watchNote(
        status({ mode: 'polling', problem: 'Argo CD answered HTTP 500' }),
      ),
    ).toBe(
      'Live updates unavailable: Argo CD answered HTTP 500; polling Argo CD every 10 s.',
    );
    expect(
      watchNote(
        status({
          mode: 'connecting',
          serving: false,
          problem: 'the stream ended',
        }),
      ),
    ).toBe(
      'Live updates unavailable: the stream ended; reconnecting, and reading Argo CD on each refresh meanwhile.',
    );
    // a new stream that has not sent its Applications yet is not current
    expect(
      watchNote(status({ mode: 'streaming', serving: false, problem: 'x' })),
    ).toMatch(/^Live updates unavailable: x; reconnecting/);
  });

  it("names a broken resource-tree stream of the entity's own Applications, not of others", () => {
    const brokenTrees = [
      { name: 'checkout-prod', appNamespace: 'argocd', problem: 'HTTP 500' },
      { name: 'payments-prod', problem: 'the stream ended' },
    ];
    expect(watchNote(status({ brokenTrees }), [])).toBeUndefined();
    expect(
      watchNote(status({ brokenTrees }), [
        { name: 'checkout-dev', appNamespace: 'argocd' },
        { name: 'checkout-prod', appNamespace: 'argocd' },
      ]),
    ).toBe(
      'Live updates of the resource tree of checkout-prod unavailable: HTTP 500; reading it from Argo CD on each refresh meanwhile.',
    );
    // another app namespace's Application of the same name is another one
    expect(
      watchNote(status({ brokenTrees }), [
        { name: 'checkout-prod', appNamespace: 'team-a' },
      ]),
    ).toBeUndefined();
    // the Application stream's own failure says more, and is said instead
    expect(
      watchNote(status({ mode: 'polling', problem: 'x', brokenTrees }), [
        { name: 'checkout-prod', appNamespace: 'argocd' },
      ]),
    ).toMatch(/^Live updates unavailable: x; polling/);
    expect(
      watchNotes(
        [status({ brokenTrees })],
        new Map([
          ['main', [{ name: 'payments-prod' }, { name: 'checkout-prod' }]],
        ]),
      ).get('main'),
    ).toBe(
      'Live updates of the resource tree of checkout-prod, payments-prod unavailable: HTTP 500; the stream ended; reading them from Argo CD on each refresh meanwhile.',
    );
  });

  it('puts the note on its own instance only, and never on a failed one', () => {
    const notes = watchNotes([
      status({
        instance: 'main',
        mode: 'polling',
        problem: 'the stream ended',
      }),
      status({ instance: 'nonprod' }),
      status({ instance: 'broken', mode: 'polling', problem: 'x' }),
    ]);
    expect(
      argocdSources(
        ['main', 'nonprod', 'broken'],
        new Map([['broken', ['Argo CD answered HTTP 503']]]),
        notes,
      ),
    ).toEqual([
      {
        source: 'argocd',
        instance: 'main',
        status: 'ok',
        note: 'Live updates unavailable: the stream ended; polling Argo CD every 10 s.',
      },
      { source: 'argocd', instance: 'nonprod', status: 'ok' },
      {
        source: 'argocd',
        instance: 'broken',
        status: 'error',
        message: 'Argo CD answered HTTP 503',
      },
    ]);
  });
});
