import type { SecretRedactor } from '@gitops-delivery/backstage-plugin-delivery-node';

/**
 * A response built from upstream objects passes the plugin's redactor as a
 * whole: a credential an upstream echoed in a manifest (an env var, an
 * annotation) never reaches the caller, wherever it sits.
 */
export function redactResponse<T>(redactor: SecretRedactor, response: T): T {
  const text = JSON.stringify(response);
  const redacted = redactor.redact(text);
  return redacted === text ? response : (JSON.parse(redacted) as T);
}
