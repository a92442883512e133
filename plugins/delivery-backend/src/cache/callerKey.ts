import type { BackstageCredentials } from '@backstage/backend-plugin-api';

/**
 * Who asks, as a cache-key part: answers that depend on the caller's
 * catalog view (DORA figures, the fleet) are cached per caller.
 */
export function callerKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.type === 'user' && principal.userEntityRef
    ? principal.userEntityRef
    : `${principal.type}:${principal.subject ?? 'unknown'}`;
}
