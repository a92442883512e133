import { ConfigReader } from '@backstage/config';
import { readPolicyConfig } from './readPolicyConfig';

function read(delivery: object) {
  return readPolicyConfig(new ConfigReader({ delivery }));
}

describe('readPolicyConfig', () => {
  it('offers the built-in default policy when nothing is configured', () => {
    const config = readPolicyConfig(new ConfigReader({}));
    expect(config.defaultPolicy).toBe('default');
    const gates = config.policies.get('default')!.gates;
    expect(gates.map(g => g.kind)).toEqual([
      'vulnerabilities',
      'security',
      'slo',
      'soak',
      'analysis',
      'upstream-environment',
      'in-sync',
    ]);
    expect(gates[0]).toMatchObject({ max: { CRITICAL: 0, HIGH: 0 } });
    expect(gates[1]).toMatchObject({
      layers: { runtime: { max: { CRITICAL: 0, HIGH: 0 } } },
    });
    expect(gates[2]).toMatchObject({ slo: 'error-rate', threshold: 0.001 });
    expect(gates[3]).toMatchObject({ minutes: 10 });
  });

  it('reads security gates with per-layer budgets and refuses unknown layers', () => {
    const config = read({
      policies: {
        strict: {
          gates: [
            {
              kind: 'security',
              layers: {
                runtime: { max: { CRITICAL: 0, HIGH: 0 } },
                iac: { max: { CRITICAL: 0 } },
                sast: { newOnly: true, max: { HIGH: 0 } },
              },
            },
          ],
        },
      },
    });
    expect(config.policies.get('strict')!.gates[0]).toMatchObject({
      kind: 'security',
      name: 'security',
      onUnknown: 'fail',
      layers: { sast: { newOnly: true, max: { HIGH: 0 } } },
    });
    expect(() =>
      read({
        policies: {
          p: {
            gates: [
              { kind: 'security', layers: { dast: { max: { HIGH: 0 } } } },
            ],
          },
        },
      }),
    ).toThrow(/dast/);
    expect(() =>
      read({ policies: { p: { gates: [{ kind: 'security', layers: {} }] } } }),
    ).toThrow(/at least one layer/);
  });

  it('reads named policies with defaults filled in', () => {
    const config = read({
      defaultPolicy: 'strict',
      policies: {
        strict: {
          gates: [
            { kind: 'vulnerabilities', max: { CRITICAL: 0 } },
            { kind: 'soak', minutes: 30, onUnknown: 'pass' },
            {
              kind: 'change-window',
              name: 'freeze',
              timeZone: 'Europe/Berlin',
              freezes: [
                {
                  name: 'year-end',
                  start: '2026-12-20T00:00',
                  end: '2027-01-02T00:00',
                },
                {
                  name: 'weekend',
                  days: ['sat', 'sun'],
                  from: '00:00',
                  to: '23:59',
                },
              ],
            },
          ],
        },
      },
    });
    expect(config.defaultPolicy).toBe('strict');
    expect(config.policies.get('strict')!.gates).toEqual([
      {
        kind: 'vulnerabilities',
        name: 'vulnerabilities',
        onUnknown: 'fail',
        max: { CRITICAL: 0 },
        onlyFixable: false,
      },
      { kind: 'soak', name: 'soak', onUnknown: 'pass', minutes: 30 },
      expect.objectContaining({ kind: 'change-window', name: 'freeze' }),
    ]);
    expect(config.policies.has('default')).toBe(true);
  });

  it.each([
    [
      { policies: { p: { gates: [{ kind: 'nope' }] } } },
      /delivery\.policies\.p\.gates\[0\]\.kind/,
    ],
    [
      { policies: { p: { gates: [{ kind: 'soak' }] } } },
      /gates\[0\]\.minutes: Required/,
    ],
    [
      {
        policies: {
          p: {
            gates: [
              {
                kind: 'change-window',
                timeZone: 'Mars/Base',
                freezes: [
                  { name: 'x', days: ['mon'], from: '01:00', to: '02:00' },
                ],
              },
            ],
          },
        },
      },
      /timeZone: must be an IANA time zone/,
    ],
    [
      {
        policies: {
          p: {
            gates: [
              {
                kind: 'change-window',
                timeZone: 'UTC',
                freezes: [
                  { name: 'x', start: '2026-01-02', end: '2026-01-03' },
                ],
              },
            ],
          },
        },
      },
      /freezes\[0\]/,
    ],
    [
      { policies: { p: { gates: [{ kind: 'soak', minutes: 1, extra: 1 }] } } },
      /Unrecognized key/,
    ],
    [
      {
        policies: { p: { gates: [{ kind: 'in-sync' }, { kind: 'in-sync' }] } },
      },
      /used twice/,
    ],
    [
      { policies: { P_1: { gates: [{ kind: 'in-sync' }] } } },
      /policy name must be/,
    ],
    [
      { defaultPolicy: 'missing' },
      /delivery\.defaultPolicy: "missing" is not a configured policy/,
    ],
  ])('rejects invalid configuration %#', (delivery, message) => {
    expect(() => read(delivery)).toThrow(message);
  });
});

describe('readPolicyConfig: canary-vs-stable gates', () => {
  const policyWith = (gate: object) =>
    read({
      policies: { kayenta: { gates: [{ kind: 'canary-vs-stable', ...gate }] } },
    });

  it('reads the gate with its settings, leaving unset ones to the defaults', () => {
    const gates = read({
      policies: {
        kayenta: {
          gates: [
            { kind: 'canary-vs-stable', slo: 'error-rate' },
            {
              kind: 'canary-vs-stable',
              name: 'latency-no-worse',
              slo: 'latency-p99',
              windowMinutes: 15,
              alpha: 0.01,
              minEffect: 0.5,
              minSamples: 20,
              onUnknown: 'pass',
            },
          ],
        },
      },
    }).policies.get('kayenta')!.gates;
    expect(gates).toEqual([
      {
        kind: 'canary-vs-stable',
        name: 'canary-vs-stable',
        slo: 'error-rate',
        onUnknown: 'fail',
      },
      {
        kind: 'canary-vs-stable',
        name: 'latency-no-worse',
        slo: 'latency-p99',
        windowMinutes: 15,
        alpha: 0.01,
        minEffect: 0.5,
        minSamples: 20,
        onUnknown: 'pass',
      },
    ]);
  });

  it.each([
    [{}, 'delivery.policies.kayenta.gates[0].slo: Required'],
    [
      { slo: 'Error Rate' },
      'delivery.policies.kayenta.gates[0].slo: must name a configured SLO',
    ],
    [
      { slo: 'error-rate', alpha: 0 },
      'delivery.policies.kayenta.gates[0].alpha: must be between 0 and 0.5',
    ],
    [
      { slo: 'error-rate', alpha: 0.9 },
      'delivery.policies.kayenta.gates[0].alpha: must be between 0 and 0.5',
    ],
    [
      { slo: 'error-rate', minEffect: 1.5 },
      'delivery.policies.kayenta.gates[0].minEffect: must be between 0 and 1',
    ],
    [
      { slo: 'error-rate', minSamples: 2 },
      'delivery.policies.kayenta.gates[0].minSamples: Number must be greater than or equal to 3',
    ],
    [
      { slo: 'error-rate', minSamples: 8.5 },
      'delivery.policies.kayenta.gates[0].minSamples: Expected integer, received float',
    ],
    [
      { slo: 'error-rate', windowMinutes: 0 },
      'delivery.policies.kayenta.gates[0].windowMinutes: Number must be greater than 0',
    ],
    [
      { slo: 'error-rate', threshold: 0.1 },
      "delivery.policies.kayenta.gates[0]: Unrecognized key(s) in object: 'threshold'",
    ],
  ])('rejects %j naming the key', (gate, message) => {
    expect(() => policyWith(gate)).toThrow(message);
  });
});
