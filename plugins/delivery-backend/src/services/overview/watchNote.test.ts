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
