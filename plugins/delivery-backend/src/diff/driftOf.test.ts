import { diffObjects } from './diffObjects';
import { driftOf } from './driftOf';
import { LAST_APPLIED, REDACTED, redactPair } from './redactSecrets';

const base = { group: '', namespace: 'ns', hook: false, modified: true };

describe('driftOf', () => {
  it('compares live with the target on the target fields when Argo CD sends no normalised states', () => {
    const live = {
      kind: 'Deployment',
      metadata: { name: 'web', uid: 'u1', resourceVersion: '9' },
      spec: { replicas: 5, progressDeadlineSeconds: 600 },
      status: { replicas: 5 },
    };
    const target = {
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 3 },
    };
    expect(
      driftOf([
        {
          ...base,
          kind: 'Deployment',
          name: 'web',
          liveState: JSON.stringify(live),
          targetState: JSON.stringify(target),
        },
      ]),
    ).toEqual([
      {
        group: '',
        kind: 'Deployment',
        namespace: 'ns',
        name: 'web',
        drift: 'modified',
        comparison: 'target',
        // the server's default (progressDeadlineSeconds) and status are no drift
        changes: [{ path: 'spec.replicas', before: '5', after: '3' }],
      },
    ]);
  });

  it('marks resources missing in the cluster or no longer in Git, and skips hooks and equal ones', () => {
    const obj = '{"kind":"ConfigMap","data":{"a":"1"}}';
    expect(
      driftOf([
        {
          ...base,
          kind: 'ConfigMap',
          name: 'gone',
          targetState: obj,
          liveState: 'null',
        },
        {
          ...base,
          kind: 'ConfigMap',
          name: 'extra',
          targetState: 'null',
          liveState: obj,
        },
        { ...base, kind: 'Job', name: 'hook', hook: true, targetState: obj },
        {
          ...base,
          kind: 'ConfigMap',
          name: 'same',
          modified: false,
          targetState: obj,
          liveState: obj,
        },
      ]).map(r => [r.name, r.drift]),
    ).toEqual([
      ['gone', 'missing'],
      ['extra', 'extraneous'],
    ]);
  });
});

describe('redactPair', () => {
  it('replaces Secret values (data and stringData) and keeps which keys differ', () => {
    const live = {
      apiVersion: 'v1',
      kind: 'Secret',
      data: { a: 'c2VjcmV0LWE=', b: 'c2FtZQ==' },
      stringData: { token: 'live-token-value' },
    };
    const desired = {
      apiVersion: 'v1',
      kind: 'Secret',
      data: { a: 'b3RoZXI=', b: 'c2FtZQ==' },
    };
    const out = redactPair(live, desired);
    expect(out.live).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      data: { a: '[redacted: live value]', b: REDACTED },
      stringData: { token: '[redacted: live value]' },
    });
    expect(out.desired?.data).toEqual({
      a: '[redacted: desired value]',
      b: REDACTED,
    });
    expect(JSON.stringify(out)).not.toMatch(
      /c2VjcmV0|b3RoZXI|c2FtZQ|live-token/,
    );
    // the inputs are untouched
    expect(live.data.a).toBe('c2VjcmV0LWE=');
  });

  it('redacts the last-applied annotation of every kind', () => {
    const cm = {
      kind: 'ConfigMap',
      metadata: {
        annotations: { [LAST_APPLIED]: '{"data":{"x":"y"}}', keep: 'me' },
      },
    };
    expect(redactPair(cm, undefined).live?.metadata).toEqual({
      annotations: { [LAST_APPLIED]: REDACTED, keep: 'me' },
    });
  });
});

describe('diffObjects', () => {
  it('walks arrays by index and names fields added or removed', () => {
    expect(
      diffObjects(
        { spec: { containers: [{ image: 'a:1' }], 'x.y': 1 } },
        { spec: { containers: [{ image: 'a:2' }, { image: 'b:1' }] } },
      ),
    ).toEqual([
      { path: 'spec.containers[0].image', before: 'a:1', after: 'a:2' },
      { path: 'spec.containers[1]', after: '{"image":"b:1"}' },
      { path: 'spec."x.y"', before: '1' },
    ]);
  });
});
