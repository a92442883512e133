import { InputError } from '@backstage/errors';

/** A DNS-1123 subdomain: Argo CD Application and AppProject names. */
export const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A DNS-1123 label: Kubernetes namespace names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A git remote: http(s), ssh or git URL, or scp-like `git@host:path`. */
export const GIT_URL = /^((https?|ssh|git):\/\/[^\s]+|[\w.-]+@[\w.-]+:[^\s]+)$/;

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Throws InputError unless every key and value is a valid Kubernetes label. */
export function assertLabels(labels: Record<string, string>): void {
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash === -1 ? undefined : key.slice(0, slash);
    const name = slash === -1 ? key : key.slice(slash + 1);
    const prefixOk =
      prefix === undefined ||
      (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
    if (!prefixOk || name.length > 63 || !LABEL_NAME.test(name)) {
      throw new InputError(`labels: "${key}" is not a valid label key`);
    }
    if (
      typeof value !== 'string' ||
      value.length > 63 ||
      !LABEL_VALUE.test(value)
    ) {
      throw new InputError(
        `labels: the value of "${key}" is not a valid label value (at most 63 letters, digits, "-", "_" or ".", starting and ending alphanumeric)`,
      );
    }
  }
}

/** Throws InputError unless `value` matches `pattern`. */
export function assertPattern(
  field: string,
  value: string,
  pattern: RegExp,
  what: string,
  maxLength = 253,
): void {
  if (value.length > maxLength || !pattern.test(value)) {
    throw new InputError(`${field}: "${value}" is not ${what}`);
  }
}
