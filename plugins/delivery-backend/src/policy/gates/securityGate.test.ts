import {
  SECURITY_LAYERS,
  type GateDefinition,
  type SecurityLayer,
  type SecurityLayerView,
  type VulnerabilityFinding,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { BUILT_IN_POLICY } from '@gitops-delivery/backstage-plugin-delivery-node';
import { guardGates } from '../../guard/guardGates';
import { evaluateGate } from '../evaluatePolicy';
import { counts, input } from '../__testUtils__/policyInputs';

const finding = (
  id: string,
  severity: VulnerabilityFinding['severity'],
  location: string,
): VulnerabilityFinding => ({
  id,
  severity,
  packageName: 'checkout/checkout',
  location,
  fixable: false,
  source: 'test',
});

/** The five layers: clean with one ok source each, unless overridden. */
function layers(
  overrides: Partial<Record<SecurityLayer, Partial<SecurityLayerView>>> = {},
): SecurityLayerView[] {
  return SECURITY_LAYERS.map(layer => {
    const o = overrides[layer] ?? {};
    const findings = o.findings ?? [];
    const c = counts(
      Object.fromEntries(
        ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'].map(s => [
          s,
          findings.filter(f => f.severity === s).length,
        ]),
      ),
    );
    const fresh = o.newInCanary ?? findings;
    return {
      layer,
      state: findings.length > 0 ? 'findings' : 'clean',
      sources: [{ source: `${layer}-scanner`, status: 'ok' }],
      counts: c,
      newInCanaryCounts: counts(
        Object.fromEntries(
          ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'].map(s => [
            s,
            fresh.filter(f => f.severity === s).length,
          ]),
        ),
      ),
      findings,
      newInCanary: fresh,
      links: [],
      ...o,
    };
  });
}

const gate: GateDefinition = {
  kind: 'security',
  name: 'security',
  onUnknown: 'fail',
  layers: {
    runtime: { max: { CRITICAL: 0, HIGH: 0 } },
    iac: { max: { CRITICAL: 0, HIGH: 0 } },
    sast: { newOnly: true, max: { HIGH: 0 } },
  },
};

const evaluate = (security?: SecurityLayerView[], g: GateDefinition = gate) =>
  evaluateGate(g, input({ security }));

describe('security gate', () => {
  it('passes when every budgeted layer is within its budget', async () => {
    const result = await evaluate(layers());
    expect(result.outcome).toBe('pass');
    expect(result.reason).toBe('sast, runtime, iac within budget');
    expect(result.evidence).toContainEqual({
      label: 'runtime: CRITICAL findings',
      value: 0,
      threshold: 0,
    });
  });

  it('fails on a runtime CRITICAL, naming the rule and pod', async () => {
    const result = await evaluate(
      layers({
        runtime: {
          findings: [
            {
              ...finding(
                'Terminal shell in container',
                'CRITICAL',
                'checkout-7d5979db69-abcde',
              ),
              occurrences: 3,
            },
          ],
        },
      }),
    );
    expect(result.outcome).toBe('fail');
    expect(result.reason).toBe(
      'runtime has 1 CRITICAL (allowed 0): CRITICAL Terminal shell in container (checkout-7d5979db69-abcde) ×3',
    );
    expect(result.evidence).toContainEqual({
      label: 'runtime finding',
      value:
        'CRITICAL Terminal shell in container (checkout-7d5979db69-abcde) ×3',
    });
  });

  it('blocks on an IaC HIGH with the check named', async () => {
    const result = await evaluate(
      layers({
        iac: {
          findings: [
            {
              ...finding('KSV014', 'HIGH', 'ReplicaSet/checkout-7d5979db69'),
              title: 'Root file system is not read-only',
            },
          ],
        },
      }),
    );
    expect(result.outcome).toBe('fail');
    expect(result.reason).toContain('iac has 1 HIGH (allowed 0)');
    // the check by its id and its title
    expect(result.reason).toContain(
      'HIGH KSV014 Root file system is not read-only (ReplicaSet/checkout-7d5979db69)',
    );
  });

  it('with newOnly, counts only what the canary adds', async () => {
    const old = finding('js/sql-injection', 'HIGH', 'src/db.ts:12');
    const fresh = finding('js/xss', 'HIGH', 'src/page.ts:40');
    expect(
      (await evaluate(layers({ sast: { findings: [old], newInCanary: [] } })))
        .outcome,
    ).toBe('pass');
    const result = await evaluate(
      layers({ sast: { findings: [old, fresh], newInCanary: [fresh] } }),
    );
    expect(result.outcome).toBe('fail');
    expect(result.reason).toBe(
      'sast has 1 new HIGH (allowed 0): HIGH js/xss (src/page.ts:40)',
    );
  });

  it('is unknown (so fails closed) when a layer has no source, unless onMissing: pass', async () => {
    const missing = layers({
      runtime: {
        state: 'unknown',
        sources: [],
        message: 'No runtime source is configured',
      },
    });
    const result = await evaluate(missing);
    expect(result.outcome).toBe('unknown');
    expect(result.reason).toBe('runtime: No runtime source is configured');
    const lenient: GateDefinition = {
      ...gate,
      layers: {
        runtime: { max: { CRITICAL: 0 }, onMissing: 'pass' },
      },
    } as GateDefinition;
    expect((await evaluate(missing, lenient)).outcome).toBe('pass');
  });

  it('is unknown when a configured source fails, even with onMissing: pass', async () => {
    const failing = layers({
      runtime: {
        state: 'source-error',
        sources: [{ source: 'falco', status: 'error', message: 'timeout' }],
        message: 'falco: timeout',
      },
    });
    const lenient = {
      ...gate,
      layers: { runtime: { max: { CRITICAL: 0 }, onMissing: 'pass' } },
    } as GateDefinition;
    const result = await evaluate(failing, lenient);
    expect(result.outcome).toBe('unknown');
    expect(result.reason).toBe('runtime: falco: timeout');
  });

  it('is unknown when findings are within budget but another source of the layer failed', async () => {
    const result = await evaluate(
      layers({
        iac: {
          findings: [
            finding('KSV011', 'LOW', 'ReplicaSet/checkout-7d5979db69'),
          ],
          sources: [
            { source: 'trivy-operator-config', status: 'ok' },
            { source: 'checkov', status: 'error', message: 'GitHub 502' },
          ],
          message: 'checkov: GitHub 502',
        },
      }),
    );
    expect(result.outcome).toBe('unknown');
    expect(result.reason).toBe('iac: checkov: GitHub 502');
  });

  it('is unknown without the layers at all', async () => {
    const result = await evaluateGate(
      gate,
      input({ security: undefined, securityError: 'scanners timed out' }),
    );
    expect(result.outcome).toBe('unknown');
    expect(result.reason).toBe(
      'No security layers for the rollout being promoted: scanners timed out',
    );
  });

  it('is in the built-in policy with runtime CRITICAL/HIGH = 0', () => {
    expect(BUILT_IN_POLICY.gates).toContainEqual(
      expect.objectContaining({
        kind: 'security',
        layers: {
          runtime: { max: { CRITICAL: 0, HIGH: 0 }, onMissing: 'pass' },
        },
      }),
    );
  });
});

describe('the canary guard judges the runtime layer', () => {
  it('keeps SLO gates and the runtime budget of security gates only', () => {
    const judged = guardGates([
      { kind: 'slo', name: 'err', onUnknown: 'fail' },
      { kind: 'soak', name: 'soak', onUnknown: 'fail' },
      gate,
      {
        kind: 'security',
        name: 'code-only',
        onUnknown: 'fail',
        layers: { sast: { max: { HIGH: 0 } } },
      } as GateDefinition,
    ]);
    expect(judged).toEqual([
      { kind: 'slo', name: 'err', onUnknown: 'fail' },
      {
        ...gate,
        layers: { runtime: { max: { CRITICAL: 0, HIGH: 0 } } },
      },
    ]);
  });
});
