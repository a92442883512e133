import { DEFAULT_SLOS } from './sloDefinitions';
import { assertValidTemplate, fillPromqlTemplate } from './promqlTemplate';

describe('fillPromqlTemplate', () => {
  const values = {
    namespace: 'checkout',
    service: 'checkout',
    podTemplateHash: '7d5979db69',
  };

  it('fills the default SLO queries', () => {
    expect(fillPromqlTemplate(DEFAULT_SLOS[0].query, values)).toBe(
      'sum(rate(http_requests_total{namespace="checkout",service="checkout",rollouts_pod_template_hash="7d5979db69",code=~"5.."}[5m])) / sum(rate(http_requests_total{namespace="checkout",service="checkout",rollouts_pod_template_hash="7d5979db69"}[5m]))',
    );
    expect(
      fillPromqlTemplate('{{ environment }}', { environment: 'prod.eu_1' }),
    ).toBe('prod.eu_1');
  });

  it.each([
    ['namespace', 'Checkout'],
    ['namespace', 'a_b'],
    ['service', 'x"} or vector(1) #'],
    ['service', 'a b'],
    ['podTemplateHash', '-abc'],
    ['podTemplateHash', 'a'.repeat(64)],
    ['environment', 'prod\\'],
  ] as const)('rejects %s %j', (key, bad) => {
    expect(() =>
      fillPromqlTemplate(`{{${key}}}`, { ...values, [key]: bad }),
    ).toThrow(
      new RegExp(`Invalid value for query placeholder \\{\\{${key}\\}\\}`),
    );
  });

  it('rejects missing values and unknown placeholders', () => {
    expect(() => fillPromqlTemplate('{{namespace}}', {})).toThrow(
      /No value for query placeholder \{\{namespace\}\}/,
    );
    expect(() => fillPromqlTemplate('{{image}}', values)).toThrow(
      /Unknown query placeholder \{\{image\}\}/,
    );
    expect(() =>
      assertValidTemplate('x{{ job }}', 'delivery.slos.x.query'),
    ).toThrow('delivery.slos.x.query: unknown placeholder {{job}}');
    expect(() => assertValidTemplate(DEFAULT_SLOS[1].query, 'q')).not.toThrow();
  });
});
