import { InputError } from '@backstage/errors';

/** The placeholders an SLO query template may use. @public */
export const PROMQL_PLACEHOLDERS = [
  'namespace',
  'service',
  'podTemplateHash',
  'environment',
] as const;

/** A placeholder of an SLO query template. @public */
export type PromqlPlaceholder = (typeof PROMQL_PLACEHOLDERS)[number];

/** Values for the placeholders; each is validated before use. @public */
export type PromqlTemplateValues = Partial<Record<PromqlPlaceholder, string>>;

// Kubernetes rules: a namespace is an RFC 1123 label; the others end up as
// label values. Neither admits a quote, a backslash, a brace or a space, so
// a value that passes cannot change the shape of the query.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

const RULES: Record<PromqlPlaceholder, { pattern: RegExp; rule: string }> = {
  namespace: { pattern: DNS_LABEL, rule: 'a Kubernetes namespace name' },
  service: { pattern: LABEL_VALUE, rule: 'a Kubernetes label value' },
  podTemplateHash: { pattern: LABEL_VALUE, rule: 'a Kubernetes label value' },
  environment: { pattern: LABEL_VALUE, rule: 'a Kubernetes label value' },
};

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]*)\s*\}\}/g;

/** The placeholders a template uses, in order of first use. @public */
export function templatePlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map(m => m[1]))];
}

/**
 * Throws when a template uses a placeholder that is not one of
 * PROMQL_PLACEHOLDERS; used when reading the configuration.
 */
export function assertValidTemplate(template: string, where: string): void {
  for (const name of templatePlaceholders(template)) {
    if (!(PROMQL_PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new Error(
        `${where}: unknown placeholder {{${name}}}; use one of ${PROMQL_PLACEHOLDERS.map(
          p => `{{${p}}}`,
        ).join(', ')}`,
      );
    }
  }
}

/** True when `value` may fill `placeholder`. @public */
export function isValidPlaceholderValue(
  placeholder: PromqlPlaceholder,
  value: string,
): boolean {
  return value.length <= 63 && RULES[placeholder].pattern.test(value);
}

/**
 * Fills an SLO query template. Every value is checked against the
 * Kubernetes name / label rules first; anything else is rejected with an
 * InputError naming the placeholder, so a value can never inject PromQL.
 */
export function fillPromqlTemplate(
  template: string,
  values: PromqlTemplateValues,
): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    if (!(PROMQL_PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new InputError(`Unknown query placeholder {{${name}}}`);
    }
    const placeholder = name as PromqlPlaceholder;
    const value = values[placeholder];
    if (value === undefined || value === '') {
      throw new InputError(`No value for query placeholder {{${name}}}`);
    }
    if (!isValidPlaceholderValue(placeholder, value)) {
      throw new InputError(
        `Invalid value for query placeholder {{${name}}}: must be ${RULES[placeholder].rule}`,
      );
    }
    return value;
  });
}
